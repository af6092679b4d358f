// Package quick highlights source code for a terminal: a small scanner that knows the
// languages kaizen's lessons use (shell, Python, make, YAML, JSON, Dockerfile, Go, SQL,
// HCL) and writes 24-bit ANSI colours, which the terminal renderer downsamples as needed.
package quick

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
)

// Highlight writes source highlighted as lexer (a language name) in the named style.
// formatter "noop" writes the source unchanged.
func Highlight(w io.Writer, source, lexer, formatter, style string) error {
	if formatter == "noop" {
		_, err := io.WriteString(w, source)
		return err
	}
	st := styles.Get(style)
	lang := languageFor(strings.ToLower(strings.TrimSpace(lexer)))
	for _, tok := range scan(source, lang) {
		if _, err := io.WriteString(w, paint(st.Get(tok.kind), tok.text)); err != nil {
			return err
		}
	}
	return nil
}

type token struct {
	kind chroma.TokenType
	text string
}

// paint wraps each line of text in the entry's SGR codes (lines are styled separately so
// that indenting writers can insert margins between them).
func paint(e chroma.StyleEntry, text string) string {
	var codes []string
	if e.Bold {
		codes = append(codes, "1")
	}
	if e.Italic {
		codes = append(codes, "3")
	}
	if e.Underline {
		codes = append(codes, "4")
	}
	if e.Colour.Set {
		codes = append(codes, fmt.Sprintf("38;2;%d;%d;%d", e.Colour.R, e.Colour.G, e.Colour.B))
	}
	if e.Background.Set {
		codes = append(codes, fmt.Sprintf("48;2;%d;%d;%d", e.Background.R, e.Background.G, e.Background.B))
	}
	if len(codes) == 0 {
		return text
	}
	start := "\x1b[" + strings.Join(codes, ";") + "m"
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = start + l + "\x1b[0m"
		}
	}
	return strings.Join(lines, "\n")
}

// language describes what the scanner recognises in one language.
type language struct {
	lineComment []string
	keywords    map[string]bool
	builtins    map[string]bool
	dollarVars  bool // $VAR, ${VAR}, $(VAR)
	keyColon    bool // "key:" at the start of a line is a tag (YAML)
	makeTargets bool // "target:" at the start of a line names a function (make)
	upperFirst  bool // the first word of a line is an instruction (Dockerfile)
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func languageFor(name string) language {
	switch name {
	case "bash", "sh", "shell", "zsh", "console", "shell-session":
		return language{lineComment: []string{"#"}, dollarVars: true,
			keywords: set("if then else elif fi for while until do done case esac in function return local export set readonly declare exit break continue shift trap source"),
			builtins: set("echo printf cd ls cat grep sed awk cut sort uniq wc head tail tr xargs find mkdir rm cp mv touch chmod test read python3 python make git curl tee date sleep jq sha256sum tar kill true false")}
	case "python", "py", "python3":
		return language{lineComment: []string{"#"},
			keywords: set("def class return if elif else for while in not and or is import from as with try except finally raise pass break continue lambda yield None True False global nonlocal assert del async await"),
			builtins: set("print len range open int float str list dict set tuple sum min max sorted enumerate zip map filter abs round isinstance super self json sys os math statistics argparse")}
	case "make", "makefile", "mk":
		return language{lineComment: []string{"#"}, dollarVars: true, makeTargets: true,
			keywords: set("ifeq ifneq ifdef ifndef else endif include define endef export override .PHONY")}
	case "yaml", "yml":
		return language{lineComment: []string{"#"}, keyColon: true, keywords: set("true false null yes no on off")}
	case "json":
		return language{keyColon: true, keywords: set("true false null")}
	case "dockerfile", "docker", "containerfile":
		return language{lineComment: []string{"#"}, dollarVars: true, upperFirst: true}
	case "go", "golang":
		return language{lineComment: []string{"//"},
			keywords: set("func package import return if else for range switch case default type struct interface map chan go defer var const break continue select nil true false"),
			builtins: set("len cap make new append copy delete panic recover print println string int int64 float64 bool byte rune error any")}
	case "sql":
		return language{lineComment: []string{"--"},
			keywords: set("select from where group by order having join left right inner outer on as and or not in is null insert into values update set delete create table view with limit count sum avg min max distinct case when then else end SELECT FROM WHERE GROUP BY ORDER HAVING JOIN LEFT RIGHT INNER OUTER ON AS AND OR NOT IN IS NULL INSERT INTO VALUES UPDATE SET DELETE CREATE TABLE VIEW WITH LIMIT COUNT SUM AVG MIN MAX DISTINCT CASE WHEN THEN ELSE END")}
	case "hcl", "terraform", "tf", "toml", "ini":
		return language{lineComment: []string{"#", "//"}, keywords: set("resource variable output provider module data locals true false")}
	}
	return language{} // plain text
}

// scan splits source into tokens, one line at a time.
func scan(src string, lang language) []token {
	var out []token
	lines := strings.SplitAfter(src, "\n")
	for _, line := range lines {
		out = append(out, scanLine(line, lang)...)
	}
	return out
}

func scanLine(line string, lang language) []token {
	var out []token
	emit := func(k chroma.TokenType, s string) {
		if s != "" {
			out = append(out, token{k, s})
		}
	}
	rs := []rune(line)
	i := 0
	// Leading indentation.
	for i < len(rs) && (rs[i] == ' ' || rs[i] == '\t') {
		i++
	}
	emit(chroma.Text, string(rs[:i]))
	start := i
	// Whole-line forms.
	if lang.keyColon || lang.makeTargets {
		rest := string(rs[i:])
		if c := strings.Index(rest, ":"); c > 0 && !strings.ContainsAny(rest[:c], " \t=\"'#$") || (lang.keyColon && c > 0 && isQuotedKey(rest[:c])) {
			kind := chroma.NameTag
			if lang.makeTargets {
				kind = chroma.NameFunction
			}
			if !(lang.makeTargets && strings.HasPrefix(rest[c:], ":=")) {
				key := rest[:c]
				if strings.HasPrefix(key, "- ") {
					emit(chroma.Punctuation, "- ")
					key = key[2:]
				}
				emit(kind, key)
				emit(chroma.Punctuation, ":")
				i += len([]rune(rest[:c])) + 1
				start = i
			}
		}
	}
	if lang.upperFirst {
		j := i
		for j < len(rs) && unicode.IsUpper(rs[j]) {
			j++
		}
		if j > i {
			emit(chroma.Keyword, string(rs[i:j]))
			i, start = j, j
		}
	}
	flush := func(end int) {
		emit(chroma.Text, string(rs[start:end]))
	}
	for i < len(rs) {
		r := rs[i]
		// Comments run to the end of the line.
		if commentAt(rs, i, lang) {
			flush(i)
			emit(chroma.Comment, strings.TrimRight(string(rs[i:]), "\n"))
			if strings.HasSuffix(line, "\n") {
				emit(chroma.Text, "\n")
			}
			return out
		}
		switch {
		case r == '"' || r == '\'' || r == '`':
			flush(i)
			j := i + 1
			for j < len(rs) && rs[j] != r && rs[j] != '\n' {
				if rs[j] == '\\' {
					j++
				}
				j++
			}
			if j < len(rs) && rs[j] == r {
				j++
			}
			j = min(j, len(rs))
			emit(chroma.LiteralString, string(rs[i:j]))
			i, start = j, j
			continue
		case lang.dollarVars && r == '$' && i+1 < len(rs):
			flush(i)
			j := i + 1
			if rs[j] == '{' || rs[j] == '(' {
				closeR := '}'
				if rs[j] == '(' {
					closeR = ')'
				}
				for j < len(rs) && rs[j] != closeR && rs[j] != '\n' {
					j++
				}
				if j < len(rs) && rs[j] == closeR {
					j++
				}
			} else {
				for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' || rs[j] == '@' || rs[j] == '?' || rs[j] == '<' || rs[j] == '^') {
					j++
				}
			}
			emit(chroma.NameBuiltin, string(rs[i:j]))
			i, start = j, j
			continue
		case unicode.IsDigit(r) && (i == 0 || !isWordRune(rs[i-1])):
			flush(i)
			j := i
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.' || rs[j] == '_' || rs[j] == 'e') {
				j++
			}
			emit(chroma.LiteralNumber, string(rs[i:j]))
			i, start = j, j
			continue
		case isWordRune(r) && (i == 0 || !isWordRune(rs[i-1])):
			j := i
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
			w := string(rs[i:j])
			kind := chroma.Text
			switch {
			case lang.keywords[w]:
				kind = chroma.Keyword
			case lang.builtins[w]:
				kind = chroma.NameBuiltin
			case j < len(rs) && rs[j] == '(' && lang.keywords != nil:
				kind = chroma.NameFunction
			}
			if kind != chroma.Text {
				flush(i)
				emit(kind, w)
				i, start = j, j
				continue
			}
			i = j
			continue
		case strings.ContainsRune("=<>!+-*/%|&", r):
			flush(i)
			emit(chroma.Operator, string(r))
			i++
			start = i
			continue
		}
		i++
	}
	flush(len(rs))
	return out
}

func isQuotedKey(s string) bool {
	s = strings.TrimPrefix(s, "- ")
	return len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"'
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.'
}

func commentAt(rs []rune, i int, lang language) bool {
	for _, c := range lang.lineComment {
		cr := []rune(c)
		if i+len(cr) > len(rs) || string(rs[i:i+len(cr)]) != c {
			continue
		}
		// "#" starts a comment only at the start of a word (not in "a#b" or "$#").
		if c == "#" && i > 0 && !unicode.IsSpace(rs[i-1]) {
			continue
		}
		return true
	}
	return false
}
