package http

import (
	"errors"

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

// handleError writes every error in the one JSON shape. Internal errors are
// logged with the request id and shown without details; fiber's own errors
// (unknown method, body too large) get the generic message of their code.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	detail := detailOf(roadshow.ErrorCode(err), roadshow.ErrorMsg(err), roadshow.ErrorFields(err))
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code, ok := statusCode[fe.Code]
		if !ok {
			code = roadshow.EINTERNAL
		}
		detail = detailOf(code, roadshow.ErrorMsg(roadshow.CodeError(code)), nil)
	}
	status, ok := codeStatus[detail.Code]
	if !ok || status == fiber.StatusInternalServerError {
		status = fiber.StatusInternalServerError
		s.log.Error("internal error", "requestId", c.Locals(requestid.ConfigDefault.ContextKey), "method", c.Method(), "path", c.Path(), "err", err)
		detail = detailOf(roadshow.EINTERNAL, roadshow.ErrorMsg(err), nil)
	}
	return c.Status(status).JSON(errorBody{Error: detail})
}
