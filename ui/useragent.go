package ui

import "strings"

// userAgentSummary says in a few French words which browser on which system a
// User-Agent header names, for the list of sessions: « Firefox sur Windows », « Chrome
// sur Android », « Safari sur iPhone »; the browser alone when the system is not
// recognised; « Navigateur inconnu » when the browser is not.
func userAgentSummary(ua string) string {
	browser := ""
	for _, b := range uaBrowsers {
		if strings.Contains(ua, b.marker) {
			browser = b.name
			break
		}
	}
	if browser == "" {
		return "Navigateur inconnu"
	}
	for _, s := range uaSystems {
		if strings.Contains(ua, s.marker) {
			return browser + " sur " + s.name
		}
	}
	return browser
}

// uaBrowsers are the browsers recognised, by a marker of their User-Agent, in the order
// they are tried (Edge and Opera also say Chrome; Chrome also says Safari).
var uaBrowsers = []struct{ marker, name string }{
	{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"}, {"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"},
	{"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"}, {"CriOS/", "Chrome"}, {"Chromium/", "Chromium"},
	{"Chrome/", "Chrome"}, {"Safari/", "Safari"},
}

// uaSystems are the systems recognised, in the order they are tried (Android also says
// Linux; iPhone and iPad also say Mac OS X).
var uaSystems = []struct{ marker, name string }{
	{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"}, {"CrOS", "ChromeOS"},
	{"Macintosh", "macOS"}, {"Linux", "Linux"},
}
