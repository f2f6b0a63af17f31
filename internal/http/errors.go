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

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// handleError writes every error in the one JSON shape. Internal errors are
// logged with the request id and shown without details.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	detail := errorDetail{Code: roadshow.ErrorCode(err), Message: roadshow.ErrorMessage(err), Fields: roadshow.ErrorFields(err)}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		detail = errorDetail{Code: roadshow.EINTERNAL, Message: "Internal error."}
		if code, ok := statusCode[fe.Code]; ok {
			detail = errorDetail{Code: code, Message: fe.Message}
		}
	}
	status, ok := codeStatus[detail.Code]
	if !ok {
		status = fiber.StatusInternalServerError
		detail = errorDetail{Code: roadshow.EINTERNAL, Message: "Internal error."}
	}
	if status == fiber.StatusInternalServerError {
		s.log.Error("internal error", "requestId", c.Locals(requestid.ConfigDefault.ContextKey), "method", c.Method(), "path", c.Path(), "err", err)
		detail.Message = "Internal error."
	}
	if status == fiber.StatusMethodNotAllowed {
		status = fiber.StatusNotFound
	}
	return c.Status(status).JSON(errorBody{Error: detail})
}
