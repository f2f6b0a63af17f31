package relay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v2"
)

const (
	// DefaultTURNPort is the registered port of TURN over UDP and TCP.
	DefaultTURNPort = 3478
	// DefaultRelayPortMin and DefaultRelayPortMax are coturn's default relay
	// range (the IANA dynamic ports); open them in the firewall for UDP.
	DefaultRelayPortMin = 49152
	DefaultRelayPortMax = 65535
	// DefaultRealm is the TURN realm when TURNConfig leaves it empty.
	DefaultRealm = "roadshow"

	// maxTURNConns caps concurrent TURN/TCP connections: each costs a
	// goroutine and buffers, and anyone may open one before authenticating.
	maxTURNConns = 4096
)

// TURNConfig configures the embedded TURN server.
type TURNConfig struct {
	// PublicIP is the IPv4 address clients reach the server at: it is put in
	// the URLs and announced as every relay address (NAT 1:1 is the usual
	// case: the machine itself only knows its private address). Required.
	PublicIP string
	// ListenIP is the IPv4 address the TURN ports and the relay sockets bind
	// to; empty means all interfaces.
	ListenIP string
	// UDPPort and TCPPort are the TURN listening ports; 0 turns that
	// transport off. Offer both: corporate networks often let only TCP out.
	UDPPort int
	TCPPort int
	// RelayPortMin and RelayPortMax bound the UDP ports of allocations
	// (inclusive); both 0 means DefaultRelayPortMin to DefaultRelayPortMax.
	RelayPortMin int
	RelayPortMax int
	// Realm is sent to clients in the authentication challenge; empty means
	// DefaultRealm.
	Realm string
	// Secret is shared with ICEConfig, which makes the credentials this
	// server accepts (at least 16 bytes). Never logged.
	Secret string `json:"-"`
	// Logger receives pion's warnings and errors; nil means slog.Default().
	Logger *slog.Logger
	// Verbose also passes pion's info and debug messages to Logger.
	Verbose bool
}

// TURNServer is a running embedded TURN server. Create it with StartTURN and
// stop it with Close.
type TURNServer struct {
	srv      *turn.Server
	socks    *sockets
	urls     []string
	realm    string
	secret   string
	publicIP net.IP
	listenIP net.IP
	log      *slog.Logger

	closeOnce sync.Once
	closeErr  error
}

// StartTURN validates cfg, opens the configured ports and starts serving.
// ctx bounds the start only; the server runs until Close.
func StartTURN(ctx context.Context, cfg TURNConfig) (*TURNServer, error) {
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	log := cfg.Logger.With("component", "turn")
	s := &TURNServer{
		socks:    newSockets(),
		realm:    cfg.Realm,
		secret:   cfg.Secret,
		publicIP: net.ParseIP(cfg.PublicIP).To4(),
		listenIP: net.ParseIP(cfg.ListenIP).To4(),
		log:      log,
	}
	gen := &relayGenerator{
		RelayAddressGeneratorPortRange: turn.RelayAddressGeneratorPortRange{
			RelayAddress: s.publicIP,
			MinPort:      uint16(cfg.RelayPortMin),
			MaxPort:      uint16(cfg.RelayPortMax),
			Address:      cfg.ListenIP,
		},
		socks: s.socks,
	}
	scfg := turn.ServerConfig{
		Realm:         cfg.Realm,
		AuthHandler:   s.authenticate,
		LoggerFactory: newPionLoggers(log, cfg.Verbose),
	}

	var lc net.ListenConfig
	if cfg.UDPPort != 0 {
		addr := net.JoinHostPort(cfg.ListenIP, strconv.Itoa(cfg.UDPPort))
		pc, err := lc.ListenPacket(ctx, "udp4", addr)
		if err != nil {
			s.socks.close()
			return nil, fmt.Errorf("turn: listen udp %s: %w", addr, err)
		}
		scfg.PacketConnConfigs = append(scfg.PacketConnConfigs, turn.PacketConnConfig{
			PacketConn:            s.socks.packetConn(pc),
			RelayAddressGenerator: gen,
			PermissionHandler:     s.allowPeer,
		})
		s.urls = append(s.urls, turnURL(cfg.PublicIP, cfg.UDPPort, "udp"))
	}
	if cfg.TCPPort != 0 {
		addr := net.JoinHostPort(cfg.ListenIP, strconv.Itoa(cfg.TCPPort))
		ln, err := lc.Listen(ctx, "tcp4", addr)
		if err != nil {
			s.socks.close()
			return nil, fmt.Errorf("turn: listen tcp %s: %w", addr, err)
		}
		scfg.ListenerConfigs = append(scfg.ListenerConfigs, turn.ListenerConfig{
			Listener:              s.socks.listener(ln),
			RelayAddressGenerator: gen,
			PermissionHandler:     s.allowPeer,
		})
		s.urls = append(s.urls, turnURL(cfg.PublicIP, cfg.TCPPort, "tcp"))
	}

	srv, err := turn.NewServer(scfg)
	if err != nil {
		s.socks.close()
		return nil, fmt.Errorf("turn: start: %w", err)
	}
	s.srv = srv
	log.Info("turn: serving", "urls", s.urls, "relay_ports", fmt.Sprintf("%d-%d", cfg.RelayPortMin, cfg.RelayPortMax))

	return s, nil
}

// normalize fills in defaults and reports the first invalid setting.
func (c *TURNConfig) normalize() error {
	if ip := net.ParseIP(c.PublicIP); ip == nil || ip.To4() == nil || ip.IsUnspecified() {
		// pion/turn v2 relays over udp4 only, so the relay address is IPv4.
		return fmt.Errorf("turn: public ip %q: want an IPv4 address clients can reach", c.PublicIP)
	}
	if c.ListenIP == "" {
		c.ListenIP = "0.0.0.0"
	}
	if ip := net.ParseIP(c.ListenIP); ip == nil || ip.To4() == nil {
		return fmt.Errorf("turn: listen ip %q: want an IPv4 address", c.ListenIP)
	}
	for _, p := range []int{c.UDPPort, c.TCPPort} {
		if p < 0 || p > 65535 {
			return fmt.Errorf("turn: port %d out of range", p)
		}
	}
	if c.UDPPort == 0 && c.TCPPort == 0 {
		return errors.New("turn: neither a UDP nor a TCP port is set")
	}
	if c.RelayPortMin == 0 && c.RelayPortMax == 0 {
		c.RelayPortMin, c.RelayPortMax = DefaultRelayPortMin, DefaultRelayPortMax
	}
	if c.RelayPortMin < 1 || c.RelayPortMax > 65535 || c.RelayPortMin > c.RelayPortMax {
		return fmt.Errorf("turn: relay port range %d-%d is invalid", c.RelayPortMin, c.RelayPortMax)
	}
	if c.Realm == "" {
		c.Realm = DefaultRealm
	}
	if len(c.Secret) < minSecretLen {
		return fmt.Errorf("turn: shared secret must be at least %d bytes", minSecretLen)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}

	return nil
}

func turnURL(host string, port int, transport string) string {
	return "turn:" + net.JoinHostPort(host, strconv.Itoa(port)) + "?transport=" + transport
}

// URLs returns the TURN URLs clients should use, UDP first, for
// ICEConfig.TURNURLs.
func (s *TURNServer) URLs() []string { return append([]string(nil), s.urls...) }

// AllocationCount returns the number of live relay allocations.
func (s *TURNServer) AllocationCount() int { return s.srv.AllocationCount() }

// Close stops the server: its ports, every TCP connection and every relay
// socket are closed, and it returns once no goroutine of the server is
// still reading from one. Safe to call more than once.
func (s *TURNServer) Close() error {
	s.closeOnce.Do(func() {
		// pion's Close closes only the listening sockets, and leaves accepted
		// TCP connections open; s.socks closes the rest and waits.
		err := s.srv.Close()
		s.socks.close()
		if err != nil {
			s.closeErr = fmt.Errorf("turn: close: %w", err)
		}
	})

	return s.closeErr
}

// authenticate is pion's AuthHandler: it returns the long-term key for a
// TURN REST username. The client proves it knows the credential by the
// MESSAGE-INTEGRITY pion checks with this key (hmac.Equal), so a bad HMAC
// fails there; the credential itself never travels.
func (s *TURNServer) authenticate(username, realm string, src net.Addr) ([]byte, bool) {
	if realm != s.realm {
		s.log.Debug("turn: refused credentials", "reason", "realm", "src", src.String())
		return nil, false
	}
	if _, err := checkTURNUsername(username, time.Now()); err != nil {
		s.log.Debug("turn: refused credentials", "reason", err.Error(), "src", src.String())
		return nil, false
	}

	return turn.GenerateAuthKey(username, realm, turnPassword(s.secret, username)), true
}

// allowPeer refuses to relay towards the server's own neighbourhood:
// loopback, link-local (cloud metadata lives at 169.254.169.254),
// unspecified and multicast addresses, as coturn does by default, except the
// addresses this server announces and listens on, where the SFU itself
// answers. Private ranges stay allowed: the SFU may sit on one.
func (s *TURNServer) allowPeer(_ net.Addr, peer net.IP) bool {
	if peer.Equal(s.publicIP) || (!s.listenIP.IsUnspecified() && peer.Equal(s.listenIP)) {
		return true
	}

	return !(peer.IsLoopback() || peer.IsLinkLocalUnicast() || peer.IsLinkLocalMulticast() ||
		peer.IsInterfaceLocalMulticast() || peer.IsMulticast() || peer.IsUnspecified() ||
		peer.Equal(net.IPv4bcast))
}

// relayGenerator allocates relay sockets in the port range, bound to the
// listen address and announced with the public one, and registers each so
// Close can close it.
type relayGenerator struct {
	turn.RelayAddressGeneratorPortRange
	socks *sockets
}

func (g *relayGenerator) AllocatePacketConn(network string, requestedPort int) (net.PacketConn, net.Addr, error) {
	pc, addr, err := g.RelayAddressGeneratorPortRange.AllocatePacketConn(network, requestedPort)
	if err != nil {
		return nil, nil, fmt.Errorf("turn: allocate relay port: %w", err)
	}
	tracked := g.socks.packetConn(pc)
	if tracked == nil {
		return nil, nil, net.ErrClosed
	}

	return tracked, addr, nil
}

// sockets tracks every socket pion reads from for the server (the
// listening ones, accepted TCP connections, relay sockets). pion/turn v2.1.6
// neither closes accepted connections on Close nor waits for its goroutines;
// sockets.close does both, as far as the reads go: every pion goroutine
// loops on a read and returns when it fails.
type sockets struct {
	mu     sync.Mutex
	closed bool
	open   map[interface{ Close() error }]struct{}
	reads  sync.WaitGroup
}

func newSockets() *sockets {
	return &sockets{open: map[interface{ Close() error }]struct{}{}}
}

// add registers c; after close it returns false and the caller closes c.
func (s *sockets) add(c interface{ Close() error }) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.open[c] = struct{}{}

	return true
}

func (s *sockets) remove(c interface{ Close() error }) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.open, c)
}

// enter marks a read as started; after close it returns false and the read
// fails at once. reads.Add only runs before close, so it never races Wait.
func (s *sockets) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.reads.Add(1)

	return true
}

// close closes every registered socket and waits for the reads in flight.
func (s *sockets) close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	open := make([]interface{ Close() error }, 0, len(s.open))
	for c := range s.open {
		open = append(open, c)
	}
	s.mu.Unlock()

	// Without the lock: a socket's Close calls remove.
	for _, c := range open {
		_ = c.Close() // closing is all that is left to do; an error changes nothing
	}
	s.reads.Wait()
}

// packetConn tracks pc; nil (and pc closed) after close.
func (s *sockets) packetConn(pc net.PacketConn) net.PacketConn {
	t := &trackedPacketConn{PacketConn: pc, socks: s}
	if !s.add(t) {
		_ = pc.Close()
		return nil
	}

	return t
}

func (s *sockets) listener(ln net.Listener) net.Listener {
	t := &trackedListener{Listener: ln, socks: s}
	if !s.add(t) {
		_ = ln.Close()
		return nil
	}

	return t
}

// trackedPacketConn is a UDP socket whose reads sockets.close waits for.
// Its Close is idempotent: pion may close a relay socket from its allocation
// and from its manager, and logs an error for the second close otherwise.
type trackedPacketConn struct {
	net.PacketConn
	socks *sockets
	once  sync.Once
}

func (c *trackedPacketConn) ReadFrom(p []byte) (int, net.Addr, error) {
	if !c.socks.enter() {
		return 0, nil, net.ErrClosed
	}
	defer c.socks.reads.Done()

	return c.PacketConn.ReadFrom(p)
}

func (c *trackedPacketConn) Close() error {
	var err error
	c.once.Do(func() {
		c.socks.remove(c)
		err = c.PacketConn.Close()
	})

	return err
}

// trackedListener registers each accepted TCP connection and refuses
// connections beyond maxTURNConns.
type trackedListener struct {
	net.Listener
	socks *sockets
	conns atomic.Int64
	once  sync.Once
}

func (l *trackedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.accept()
		if err != nil {
			return nil, err
		}
		if l.conns.Load() >= maxTURNConns {
			_ = c.Close()
			continue
		}
		t := &trackedConn{Conn: c, socks: l.socks, ln: l}
		if !l.socks.add(t) {
			_ = c.Close()
			return nil, net.ErrClosed
		}
		l.conns.Add(1)

		return t, nil
	}
}

func (l *trackedListener) accept() (net.Conn, error) {
	if !l.socks.enter() {
		return nil, net.ErrClosed
	}
	defer l.socks.reads.Done()

	return l.Listener.Accept()
}

func (l *trackedListener) Close() error {
	var err error
	l.once.Do(func() {
		l.socks.remove(l)
		err = l.Listener.Close()
	})

	return err
}

// trackedConn is an accepted TURN/TCP connection.
type trackedConn struct {
	net.Conn
	socks *sockets
	ln    *trackedListener
	once  sync.Once
}

func (c *trackedConn) Read(p []byte) (int, error) {
	if !c.socks.enter() {
		return 0, net.ErrClosed
	}
	defer c.socks.reads.Done()

	return c.Conn.Read(p)
}

func (c *trackedConn) Close() error {
	var err error
	c.once.Do(func() {
		c.socks.remove(c)
		c.ln.conns.Add(-1)
		err = c.Conn.Close()
	})

	return err
}

// pionLoggers adapts pion's LoggerFactory to slog. It passes warnings and
// errors only unless verbose, and demotes to debug the errors pion logs for
// one client's bad or late packet: anyone on the internet can send those, and
// they must not be able to fill the log.
type pionLoggers struct {
	log *slog.Logger
	min slog.Level
}

func newPionLoggers(log *slog.Logger, verbose bool) *pionLoggers {
	min := slog.LevelWarn
	if verbose {
		min = slog.LevelDebug
	}

	return &pionLoggers{log: log, min: min}
}

// NewLogger implements logging.LoggerFactory.
func (f *pionLoggers) NewLogger(scope string) logging.LeveledLogger {
	return &pionLogger{log: f.log.With("scope", scope), min: f.min}
}

// levelTrace is below slog's debug: pion traces every packet.
const levelTrace = slog.LevelDebug - 4

type pionLogger struct {
	log *slog.Logger
	min slog.Level
}

// perPacketErrors are the prefixes of pion/turn v2.1.6's error messages about
// a single client packet (server.go readLoop, allocation.go packetHandler).
var perPacketErrors = [...]string{
	"Failed to handle datagram",
	"Failed to send ChannelData",
	"Failed to send DataIndication",
}

func (l *pionLogger) emit(level slog.Level, msg string) {
	if level = demote(level, msg); level < l.min || !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, msg)
}

func (l *pionLogger) emitf(level slog.Level, format string, args ...interface{}) {
	// Checked before formatting, which pion does per packet: the prefixes of
	// perPacketErrors are literal in the format strings.
	if level = demote(level, format); level < l.min || !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, fmt.Sprintf(format, args...))
}

func demote(level slog.Level, msg string) slog.Level {
	if level != slog.LevelError {
		return level
	}
	for _, p := range perPacketErrors {
		if strings.HasPrefix(msg, p) {
			return slog.LevelDebug
		}
	}

	return level
}

func (l *pionLogger) Trace(msg string)                  { l.emit(levelTrace, msg) }
func (l *pionLogger) Tracef(f string, a ...interface{}) { l.emitf(levelTrace, f, a...) }
func (l *pionLogger) Debug(msg string)                  { l.emit(slog.LevelDebug, msg) }
func (l *pionLogger) Debugf(f string, a ...interface{}) { l.emitf(slog.LevelDebug, f, a...) }
func (l *pionLogger) Info(msg string)                   { l.emit(slog.LevelInfo, msg) }
func (l *pionLogger) Infof(f string, a ...interface{})  { l.emitf(slog.LevelInfo, f, a...) }
func (l *pionLogger) Warn(msg string)                   { l.emit(slog.LevelWarn, msg) }
func (l *pionLogger) Warnf(f string, a ...interface{})  { l.emitf(slog.LevelWarn, f, a...) }
func (l *pionLogger) Error(msg string)                  { l.emit(slog.LevelError, msg) }
func (l *pionLogger) Errorf(f string, a ...interface{}) { l.emitf(slog.LevelError, f, a...) }
