package main

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"
)

// servePprof serves Go's profiler on addr (PPROF_ADDR), for measuring the server under
// load: `go tool pprof http://ADDR/debug/pprof/profile?seconds=10`. It is off unless
// set, and must stay on loopback: it tells how the program runs.
func servePprof(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Info("profiler listening", "addr", "http://"+addr+"/debug/pprof/")
	if err := srv.ListenAndServe(); err != nil {
		log.Error("profiler stopped", "error", err.Error())
	}
}
