package http

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/roadshow/roadshow/roadshow"
)

// Most handlers are one call to the domain: read the ids of the path, decode
// the body, give the store calls a deadline, call the service with the
// caller, write the answer as JSON. The helpers below say that once; a
// handler is the service method, or a few lines adapting a request type.
// Every refusal comes from the domain, as an error the error handler maps.

// call is one request as a service sees it.
type call struct {
	c     *fiber.Ctx
	ctx   context.Context // the request's context with a deadline
	actor roadshow.Actor  // zero on public routes
}

// handle runs fn with a deadline of timeout for its store calls (fasthttp's
// own context is never cancelled) and writes its result as JSON with status.
func handle[T any](status int, timeout time.Duration, fn func(r call) (T, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), timeout)
		defer cancel()
		v, err := fn(call{c: c, ctx: ctx, actor: actorOf(c)})
		if err != nil {
			return err
		}
		return c.Status(status).JSON(v)
	}
}

// with decodes the JSON body into a Req and calls fn with it.
func with[Req, T any](status int, fn func(ctx context.Context, a roadshow.Actor, req Req) (T, error)) fiber.Handler {
	return handle(status, StoreTimeout, func(r call) (T, error) {
		var req Req
		if err := decodeJSON(r.c, &req); err != nil {
			var zero T
			return zero, err
		}
		return fn(r.ctx, r.actor, req)
	})
}

// onID calls fn on the object the path parameter p names.
func onID[T any](status int, p param, fn func(ctx context.Context, a roadshow.Actor, id string) (T, error)) fiber.Handler {
	return handle(status, StoreTimeout, func(r call) (T, error) {
		id, err := p.read(r.c)
		if err != nil {
			var zero T
			return zero, err
		}
		return fn(r.ctx, r.actor, id)
	})
}

// onIDWith calls fn on the object p names with the JSON body decoded into a
// Req (the id is checked first: a malformed one is not found, whatever the
// body).
func onIDWith[Req, T any](status int, p param, fn func(ctx context.Context, a roadshow.Actor, id string, req Req) (T, error)) fiber.Handler {
	return handle(status, StoreTimeout, func(r call) (T, error) {
		var zero T
		id, err := p.read(r.c)
		if err != nil {
			return zero, err
		}
		var req Req
		if err := decodeJSON(r.c, &req); err != nil {
			return zero, err
		}
		return fn(r.ctx, r.actor, id, req)
	})
}

// param is a path parameter that names a stored object. A malformed id is
// simply not found: missing is that refusal, with the object's message.
type param struct {
	name    string
	missing *roadshow.Error
}

func (p param) read(c *fiber.Ctx) (string, error) {
	id := utils.CopyString(c.Params(p.name))
	if !roadshow.ValidID(id) {
		return "", p.missing
	}
	return id, nil
}

func applicationParam() param {
	return param{name: "id", missing: roadshow.NewError(roadshow.ENOTFOUND, "application.not_found", nil)}
}

func sessionParam() param {
	return param{name: "id", missing: roadshow.NewError(roadshow.ENOTFOUND, "session.not_found", nil)}
}

// teamParam is the :applicationId of a session's score routes.
func teamParam() param {
	return param{name: "applicationId", missing: roadshow.NewError(roadshow.ENOTFOUND, "session.team_not_in_session", nil)}
}

// listResponse wraps a list, so that it can grow fields later.
type listResponse[T any] struct {
	Items []T `json:"items"`
}

// items wraps the list fn returns in a listResponse.
func items[T any](fn func(ctx context.Context, a roadshow.Actor, id string) ([]T, error)) func(context.Context, roadshow.Actor, string) (listResponse[T], error) {
	return func(ctx context.Context, a roadshow.Actor, id string) (listResponse[T], error) {
		list, err := fn(ctx, a, id)
		return listResponse[T]{Items: list}, err
	}
}

// limitedWith is with for the public routes a rate limit guards: the body
// is decoded into a Req, limit (which may read it) answers 429 or lets it
// through, then fn runs.
func limitedWith[Req, T any](status int, limit func(req *Req) func(*fiber.Ctx) error, fn func(ctx context.Context, req Req) (T, error)) fiber.Handler {
	return handle(status, StoreTimeout, func(r call) (T, error) {
		var zero T
		var req Req
		if err := decodeJSON(r.c, &req); err != nil {
			return zero, err
		}
		if err := limit(&req)(r.c); err != nil {
			return zero, err
		}
		return fn(r.ctx, req)
	})
}

// queryLimit reads ?limit= for a list: 0 when absent, -1 when it is no
// positive number (the domain refuses it with its own message).
func queryLimit(c *fiber.Ctx) int {
	l := c.Query("limit")
	if l == "" {
		return 0
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 1 {
		return -1
	}
	return n
}
