package http

import (
	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/roadshow"
)

// DecodeJSON is decodeJSON, for the fuzz tests of package http_test.
func DecodeJSON(c *fiber.Ctx, v any) error { return decodeJSON(c, v) }

// RequestTypes makes a new value of each type a handler decodes a JSON body into, in a fixed
// order (the fuzz test's corpus names them by index). Add a new request type here.
func RequestTypes() []func() any {
	return []func() any{
		func() any { return new(registerRequest) },
		func() any { return new(loginRequest) },
		func() any { return new(createUserRequest) },
		func() any { return new(forgotRequest) },
		func() any { return new(resetRequest) },
		func() any { return new(confirmRequest) },
		func() any { return new(passwordRequest) },
		func() any { return new(editionRequest) },
		func() any { return new(planRequest) },
		func() any { return new(moveRequest) },
		func() any { return new(orderRequest) },
		func() any { return new(participantRequest) },
		func() any { return new(conflictRequest) },
		func() any { return new(scoreRequest) },
		func() any { return new(finalRequest) },
		func() any { return new(publishRequest) },
		func() any { return new(withdrawRequest) },
		func() any { return new(screeningRequest) },
		func() any { return new(meetingRequest) },
		func() any { return new(muteRequest) },
		func() any { return new(removeRequest) },
		func() any { return new(roadshow.ApplicationInput) },
		func() any { return new(roadshow.ProfileInput) },
		func() any { return new(roadshow.UserEdit) },
	}
}
