package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// helpTopics are the commands tracker help explains, in the order it lists them.
var helpTopics = []struct{ name, usage, short, text string }{
	{"serve", "tracker serve", "sert les pages et l’API (commande par défaut)", "Applique les migrations manquantes, puis sert les pages et l’API sur LISTEN_ADDR (127.0.0.1:8080 par défaut)\njusqu’à SIGTERM ou Ctrl+C. C’est la commande par défaut."},
	{"migrate", "tracker migrate", "met le schéma de la base à jour", "Met le schéma de la base à jour (sous un verrou : plusieurs instances peuvent la lancer ensemble)."},
	{"demo", "tracker demo", "charge la démonstration du CLEISS", "Charge le cas de démonstration du CLEISS (une seconde fois ne change rien). Sur une base sans compte, crée\nl’administrateur admin@demo.gouv.fr et affiche son mot de passe, une seule fois."},
	{"user add", "tracker user add --email E --name N --role R", "crée un compte", "Crée un compte (rôle admin, manager ou viewer ; viewer par défaut). Le mot de passe, 12 caractères au\nmoins, est lu sur la première ligne de l’entrée standard :\n  printf '%s\\n' 'une longue phrase de passe' | tracker user add --email chef@ministere.gouv.fr --name \"Nom Prénom\" --role admin"},
	{"user password", "tracker user password --email E", "donne un nouveau mot de passe à un compte", "Donne un nouveau mot de passe à un compte (oubli, départ d’un administrateur), lu sur la première ligne de\nl’entrée standard. Comme la réinitialisation par un administrateur, ferme toutes ses sessions, révoque ses\njetons d’API et l’inscrit au journal des comptes (« ligne de commande ») :\n  printf '%s\\n' 'une nouvelle phrase de passe' | tracker user password --email admin@demo.gouv.fr"},
	{"token create", "tracker token create --email E [--name N]", "crée un jeton d’API", "Crée un jeton d’API pour un compte et n’affiche que lui sur la sortie standard :\n  TOKEN=$(tracker token create --email admin@demo.gouv.fr)"},
}

// helpAsked reports whether args ask for help, and on what ("" for everything):
// tracker help [CMD…], tracker --help, tracker -h, or CMD … --help.
func helpAsked(args []string) (string, bool) {
	if len(args) == 0 {
		return "", false
	}
	switch args[0] {
	case "help", "-h", "--help", "-help":
		return strings.Join(args[1:], " "), true
	}
	for i, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			// The command is the words before its first flag: « user add --email x --help ».
			end := slices.IndexFunc(args[:i], func(s string) bool { return strings.HasPrefix(s, "-") })
			if end < 0 {
				end = i
			}
			return strings.Join(args[:end], " "), true
		}
	}
	return "", false
}

// help writes the usage of topic (a command, or a group such as « user »; every
// command when empty). An unknown topic is an error naming the known ones.
func help(w io.Writer, topic string) error {
	var found []int
	for i, t := range helpTopics {
		if topic == "" || t.name == topic || strings.HasPrefix(t.name, topic+" ") {
			found = append(found, i)
		}
	}
	if len(found) == 0 {
		var names []string
		for _, t := range helpTopics {
			names = append(names, t.name)
		}
		return fmt.Errorf("no help on %q (commands: %s)", topic, strings.Join(names, ", "))
	}
	if topic == "" {
		fmt.Fprintln(w, "tracker — suivi des relocalisations de services publics\n\nCommandes :")
		for _, i := range found {
			fmt.Fprintf(w, "  %-46s %s\n", helpTopics[i].usage, helpTopics[i].short)
		}
		fmt.Fprintln(w, "\nConfiguration par l’environnement : DATABASE_URL (obligatoire sauf pour l’aide), LISTEN_ADDR,\nBCRYPT_COST, LOG_LEVEL… (voir le README). « tracker help COMMANDE » détaille une commande.")
		return nil
	}
	for _, i := range found {
		fmt.Fprintf(w, "%s\n\n%s\n\n", helpTopics[i].usage, helpTopics[i].text)
	}
	return nil
}
