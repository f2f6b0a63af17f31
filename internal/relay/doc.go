// Package relay is the live side of a pitch session on pion: the WebRTC
// relay (an SFU), its signaling, and NAT traversal, i.e. the ICE servers
// handed to participants with short-lived TURN credentials and an embedded
// TURN server for founders behind strict firewalls.
package relay
