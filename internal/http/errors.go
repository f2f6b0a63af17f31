package http

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/roadshow/roadshow/roadshow"
)

// codeStatus is the one table from domain error codes to HTTP statuses.
var codeStatus = map[string]int{
	roadshow.EINVALID:       fiber.StatusBadRequest,
	roadshow.EUNAUTHORIZED:  fiber.StatusUnauthorized,
	roadshow.EFORBIDDEN:     fiber.StatusForbidden,
	roadshow.ENOTFOUND:      fiber.StatusNotFound,
	roadshow.ECONFLICT:      fiber.StatusConflict,
	roadshow.ETOOLARGE:      fiber.StatusRequestEntityTooLarge,
	roadshow.EUNPROCESSABLE: fiber.StatusUnprocessableEntity,
	roadshow.ERATELIMITED:   fiber.StatusTooManyRequests,
	roadshow.EINTERNAL:      fiber.StatusInternalServerError,
}

// statusCode maps fiber's own errors (unknown route, wrong method, body too
// large) back to domain codes.
var statusCode = map[int]string{
	fiber.StatusBadRequest:            roadshow.EINVALID,
	fiber.StatusUnauthorized:          roadshow.EUNAUTHORIZED,
	fiber.StatusForbidden:             roadshow.EFORBIDDEN,
	fiber.StatusNotFound:              roadshow.ENOTFOUND,
	fiber.StatusMethodNotAllowed:      roadshow.ENOTFOUND,
	fiber.StatusConflict:              roadshow.ECONFLICT,
	fiber.StatusRequestEntityTooLarge: roadshow.ETOOLARGE,
	fiber.StatusUnprocessableEntity:   roadshow.EUNPROCESSABLE,
	fiber.StatusTooManyRequests:       roadshow.ERATELIMITED,
	// The WebSocket middleware's answer to a handshake it refuses.
	fiber.StatusUpgradeRequired: roadshow.EINVALID,
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

// errorDetail is the one shape of every error: the code, the message (key,
// arguments, English text) and the field messages in the same shape.
type errorDetail struct {
	Code    string                      `json:"code"`
	Key     string                      `json:"key"`
	Args    roadshow.Args               `json:"args"`
	Message string                      `json:"message"`
	Fields  map[string]roadshow.Message `json:"fields,omitempty"`
}

func detailOf(code string, m roadshow.Message, fields map[string]roadshow.Message) errorDetail {
	return errorDetail{Code: code, Key: m.Key, Args: m.Args, Message: m.Message, Fields: fields}
}

// transportErrors are fasthttp's own failures, before any route ran (a
// request line or headers too large, a request that took too long to
// arrive, an unknown method, bytes that are no HTTP): each keeps its HTTP
// status and answers in the one error shape.
var transportErrors = map[int]struct {
	code string
	msg  roadshow.Message
}{
	fiber.StatusRequestTimeout:              {roadshow.EINVALID, roadshow.Msg("request.timeout", nil)},
	fiber.StatusRequestHeaderFieldsTooLarge: {roadshow.ETOOLARGE, roadshow.Msg("request.headers_too_large", nil)},
	fiber.StatusNotImplemented:              {roadshow.EINVALID, roadshow.Msg("request.method_unknown", nil)},
	fiber.StatusBadGateway:                  {roadshow.EINVALID, roadshow.Msg("request.malformed", nil)},
}

// handleError writes every error in the one JSON shape, with the security
// headers (a failure before the middleware ran has none yet). Internal
// errors are logged with the request id and shown without details;
// fiber's own errors get the generic message of their code, and
// transport-level failures (see transportErrors) are logged at WARN at
// most: they are the client's doing.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	setSecurityHeaders(c)
	detail := detailOf(roadshow.ErrorCode(err), roadshow.ErrorMsg(err), roadshow.ErrorFields(err))
	status := 0
	var fe *fiber.Error
	if errors.As(err, &fe) {
		if t, ok := transportErrors[fe.Code]; ok {
			status = fe.Code
			switch fe.Code {
			case fiber.StatusBadGateway:
				status = fiber.StatusBadRequest // the client's bytes, not an upstream
			case fiber.StatusNotImplemented:
				status = fiber.StatusMethodNotAllowed // the client's method: a 4xx
			}
			detail = detailOf(t.code, t.msg, nil)
			// Not fasthttp's message: it quotes the request's first bytes,
			// which may hold a token.
			s.log.Warn("bad request", "status", status, "key", t.msg.Key, "remote", c.Context().RemoteIP().String())
			c.Context().SetConnectionClose()
		} else {
			code, ok := statusCode[fe.Code]
			if !ok {
				// Another status fiber made up: the client's request, not our fault.
				code = roadshow.EINVALID
				s.log.Warn("bad request", "status", fe.Code, "remote", c.Context().RemoteIP().String())
			}
			detail = detailOf(code, roadshow.ErrorMsg(roadshow.CodeError(code)), nil)
		}
	}
	if status == 0 {
		var ok bool
		status, ok = codeStatus[detail.Code]
		if !ok || status == fiber.StatusInternalServerError {
			status = fiber.StatusInternalServerError
			s.log.Error("internal error", "requestId", c.Locals(requestid.ConfigDefault.ContextKey), "method", c.Method(), "path", c.Path(), "err", err)
			detail = detailOf(roadshow.EINTERNAL, roadshow.ErrorMsg(err), nil)
		}
	}
	if detail.Code == roadshow.ERATELIMITED && len(c.Response().Header.Peek(fiber.HeaderRetryAfter)) == 0 {
		if secs, ok := detail.Args["seconds"].(int); ok {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
		}
	}
	if err := c.Status(status).JSON(errorBody{Error: detail}); err != nil {
		return err
	}
	c.Response().Header.SetContentType(fiber.MIMEApplicationJSONCharsetUTF8)
	return nil
}
