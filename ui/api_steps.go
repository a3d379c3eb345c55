package ui

import "github.com/gofiber/fiber/v2"

// The steps every API write takes before its store call, always in this order of
// refusals: rights (401/403), then the version (428/412), then the body
// (415/413/400), then the values (422).

// readyToWrite checks that the caller may write relocation relocationID, then reads
// and validates the body into in.
func (s *Server) readyToWrite(c *fiber.Ctx, relocationID int64, in any) error {
	if err := s.mayWrite(c, relocationID); err != nil {
		return err
	}
	return s.decodeValid(c, in)
}

// readyToChange checks that the caller may write relocation relocationID and names the
// current version in If-Match, then reads the body onto in (which holds the current
// values) and validates it. It returns the version to write over.
func (s *Server) readyToChange(c *fiber.Ctx, relocationID int64, current int, in any) (int, error) {
	version, err := s.readyToDelete(c, relocationID, current)
	if err != nil {
		return 0, err
	}
	return version, s.decodeValid(c, in)
}

// readyToDelete checks the caller's rights and If-Match, for a write without a body.
func (s *Server) readyToDelete(c *fiber.Ctx, relocationID int64, current int) (int, error) {
	if err := s.mayWrite(c, relocationID); err != nil {
		return 0, err
	}
	return ifMatch(c, current)
}

// decodeValid reads the JSON body into in and validates it.
func (s *Server) decodeValid(c *fiber.Ctx, in any) error {
	if err := decodeJSON(c, in); err != nil {
		return err
	}
	return s.validate(in)
}
