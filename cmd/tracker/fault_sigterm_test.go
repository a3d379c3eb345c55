package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
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
	defer func() {
		select {
		case <-stopped:
		default:
			cmd.Process.Kill()
			<-stopped
		}
	}()
	waitHealthy(t, addr, nil)

	// A request in flight: its request line is sent, its header not finished.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: "+addr+"\r\n"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // let the server accept it
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitRefused(t, addr, "SIGTERM")
	select {
	case err := <-exited:
		t.Fatalf("the server exited (%v) with a request in flight\n%s", err, logs.String())
	default:
	}
	if _, err := io.WriteString(conn, "\r\n"); err != nil {
		t.Fatalf("finish the request: %v", err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "ok") {
		t.Errorf("the request in flight: %d %q, want 200 ok", resp.StatusCode, body)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want status 0\n%s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM\n%s", logs.String())
	}
}
