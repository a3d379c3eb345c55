package main

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/ministere/tracker/migrations/dbtest"
)

// TestSIGTERMStopsGracefully: the real binary, sent SIGTERM, finishes the request in
// flight, refuses new connections, and exits with status 0. (TestServeGracefulShutdown
// checks the same in process; this one proves the signal is wired.)
func TestSIGTERMStopsGracefully(t *testing.T) {
	t.Parallel()
	bin := trackerBinary(t)
	_, dbURL := dbtest.OpenURL(t)
	addr := freeAddr(t)
	var logs syncBuffer
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "LISTEN_ADDR="+addr, "SHUTDOWN_TIMEOUT=10s")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	stopped := make(chan struct{})
	go func() { exited <- cmd.Wait(); close(stopped) }()
	defer func() { cmd.Process.Kill(); <-stopped }() // harmless once it has exited
	waitHealthy(t, addr, nil)

	stopWithRequestInFlight(t, addr, "SIGTERM", func() {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
	}, exited, 10*time.Second, &logs)
}
