package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ministere/tracker/migrations/dbtest"
)

// TestAnonymousBodiesHoldNoMemory: 200 connections without valid credentials, each
// declaring an 8 MB roster and sending no byte of it, leave the real server's resident
// memory under 150 MiB, and /healthz quick (regression: fasthttp allocated every
// declared length, 32 MiB per connection for 20 MiB declared; 60 connections took RSS
// from 32 to 1,955 MiB). Half send no credentials, half a session cookie that names no
// session (read as a caller until authenticate looks it up).
func TestAnonymousBodiesHoldNoMemory(t *testing.T) {
	t.Parallel()
	bin := trackerBinary(t)
	_, dbURL := dbtest.OpenURL(t)
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "LISTEN_ADDR="+addr)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitHealthy(t, addr, nil)
	before := residentMiB(t, cmd.Process.Pid)
	const declared = 8_000_000
	var conns []net.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for i := range 200 {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		head := fmt.Sprintf("PUT /api/v1/relocations/1/agents HTTP/1.1\r\nHost: t\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n\r\n", declared)
		if i%2 == 1 {
			head = fmt.Sprintf("POST /projets/1/agents HTTP/1.1\r\nHost: t\r\nCookie: tracker_session=inconnue\r\n"+
				"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n", declared)
		}
		if _, err := io.WriteString(conn, head); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(2 * time.Second) // let the server read every header
	after := residentMiB(t, cmd.Process.Pid)
	t.Logf("resident memory: %d MiB before, %d MiB with 200 connections each declaring %d bytes", before, after, declared)
	if after >= 150 {
		t.Errorf("resident memory %d MiB with 200 anonymous 8 MB declarations, want under 150", after)
	}
	start := time.Now()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if line, err := bufio.NewReader(conn).ReadString('\n'); err != nil || !strings.Contains(line, "200") {
		t.Errorf("/healthz meanwhile: %q %v", line, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("/healthz meanwhile took %v", d)
	}
}

// residentMiB reads a process's resident memory (VmRSS) from /proc.
func residentMiB(t *testing.T, pid int) int {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				t.Fatalf("VmRSS %q: %v", rest, err)
			}
			return kb / 1024
		}
	}
	t.Fatal("no VmRSS")
	return 0
}
