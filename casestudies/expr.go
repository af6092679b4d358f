package casestudies

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Conditions (an ending's when, a choice's requires, a conditional effect's if) are small
// boolean expressions over gauges and flags:
//
//	inflated_metrics or trust < 30 or (platform_conflict and harm_risk)
//	users >= 150 and trust >= 60
//	not has_ci
//
// Grammar (keywords are lower case):
//
//	expr    = and { "or" and }
//	and     = unary { "and" unary }
//	unary   = "not" unary | primary
//	primary = "(" expr ")" | "true" | "false" | FLAG | GAUGE CMP NUMBER
//	CMP     = "<" | "<=" | ">" | ">=" | "==" | "!="
//
// A bare flag name is true when the flag is set. A gauge must be compared with a number.

type exprOp uint8

const (
	opConst exprOp = iota
	opFlag
	opCmp
	opNot
	opAnd
	opOr
)

type cmpOp uint8

const (
	cmpLT cmpOp = iota
	cmpLE
	cmpGT
	cmpGE
	cmpEQ
	cmpNE
)

// expr is a compiled condition.
type expr struct {
	op    exprOp
	val   bool    // opConst
	flag  uint    // opFlag: bit index
	gauge int     // opCmp: gauge index
	cmp   cmpOp   // opCmp
	num   float64 // opCmp
	kids  []*expr // opNot (1), opAnd, opOr
}

func (e *expr) eval(g []float64, f uint64) bool {
	if e == nil {
		return true
	}
	switch e.op {
	case opConst:
		return e.val
	case opFlag:
		return f&(1<<e.flag) != 0
	case opCmp:
		v := g[e.gauge]
		switch e.cmp {
		case cmpLT:
			return v < e.num
		case cmpLE:
			return v <= e.num
		case cmpGT:
			return v > e.num
		case cmpGE:
			return v >= e.num
		case cmpEQ:
			return v == e.num
		default:
			return v != e.num
		}
	case opNot:
		return !e.kids[0].eval(g, f)
	case opAnd:
		for _, k := range e.kids {
			if !k.eval(g, f) {
				return false
			}
		}
		return true
	default: // opOr
		for _, k := range e.kids {
			if k.eval(g, f) {
				return true
			}
		}
		return false
	}
}

// gauges adds to set the indices of the gauges the expression reads.
func (e *expr) gauges(set map[int]bool) {
	if e == nil {
		return
	}
	if e.op == opCmp {
		set[e.gauge] = true
	}
	for _, k := range e.kids {
		k.gauges(set)
	}
}

type token struct {
	kind string // "id", "num", "op", "(", ")", "eof"
	text string
	pos  int
}

func tokenize(src string) ([]token, error) {
	var toks []token
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(' || r == ')':
			toks = append(toks, token{kind: string(r), text: string(r), pos: i})
			i++
		case r == '<' || r == '>' || r == '=' || r == '!':
			j := i + 1
			if j < len(rs) && rs[j] == '=' {
				j++
			}
			op := string(rs[i:j])
			if op == "=" || op == "!" {
				return nil, fmt.Errorf("unexpected %q at column %d (use ==, != or not)", op, i+1)
			}
			toks = append(toks, token{kind: "op", text: op, pos: i})
			i = j
		case r == '-' || r == '+' || r == '.' || unicode.IsDigit(r):
			j := i + 1
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.') {
				j++
			}
			toks = append(toks, token{kind: "num", text: string(rs[i:j]), pos: i})
			i = j
		case r == '_' || unicode.IsLetter(r):
			j := i + 1
			for j < len(rs) && (rs[j] == '_' || unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			toks = append(toks, token{kind: "id", text: string(rs[i:j]), pos: i})
			i = j
		default:
			return nil, fmt.Errorf("unexpected %q at column %d", string(r), i+1)
		}
	}
	toks = append(toks, token{kind: "eof", pos: len(rs)})
	return toks, nil
}

// exprParser compiles a condition against a case's gauges and flags.
type exprParser struct {
	toks   []token
	i      int
	gauges map[string]int
	flags  map[string]uint
}

func compileExpr(src string, gauges map[string]int, flags map[string]uint) (*expr, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &exprParser{toks: toks, gauges: gauges, flags: flags}
	if p.peek().kind == "eof" {
		return nil, fmt.Errorf("empty condition")
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != "eof" {
		return nil, fmt.Errorf("unexpected %q at column %d", t.text, t.pos+1)
	}
	return e, nil
}

func (p *exprParser) peek() token { return p.toks[p.i] }
func (p *exprParser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *exprParser) keyword(w string) bool {
	if t := p.peek(); t.kind == "id" && t.text == w {
		p.i++
		return true
	}
	return false
}

func (p *exprParser) or() (*expr, error) {
	e, err := p.and()
	if err != nil {
		return nil, err
	}
	kids := []*expr{e}
	for p.keyword("or") {
		k, err := p.and()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return e, nil
	}
	return &expr{op: opOr, kids: kids}, nil
}

func (p *exprParser) and() (*expr, error) {
	e, err := p.unary()
	if err != nil {
		return nil, err
	}
	kids := []*expr{e}
	for p.keyword("and") {
		k, err := p.unary()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return e, nil
	}
	return &expr{op: opAnd, kids: kids}, nil
}

func (p *exprParser) unary() (*expr, error) {
	if p.keyword("not") {
		k, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &expr{op: opNot, kids: []*expr{k}}, nil
	}
	return p.primary()
}

func cmpOpOf(s string) cmpOp {
	switch s {
	case "<":
		return cmpLT
	case "<=":
		return cmpLE
	case ">":
		return cmpGT
	case ">=":
		return cmpGE
	case "==":
		return cmpEQ
	default:
		return cmpNE
	}
}

func (p *exprParser) primary() (*expr, error) {
	t := p.next()
	switch t.kind {
	case "(":
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != ")" {
			return nil, fmt.Errorf("missing ) at column %d", c.pos+1)
		}
		return e, nil
	case "id":
		switch t.text {
		case "true", "false":
			return &expr{op: opConst, val: t.text == "true"}, nil
		case "and", "or", "not":
			return nil, fmt.Errorf("unexpected %q at column %d", t.text, t.pos+1)
		}
		if bit, ok := p.flags[t.text]; ok {
			if o := p.peek(); o.kind == "op" {
				return nil, fmt.Errorf("flag %q is true or false; it cannot be compared with %s", t.text, o.text)
			}
			return &expr{op: opFlag, flag: bit}, nil
		}
		gi, ok := p.gauges[t.text]
		if !ok {
			return nil, fmt.Errorf("unknown gauge or flag %q", t.text)
		}
		o := p.next()
		if o.kind != "op" {
			return nil, fmt.Errorf("gauge %q must be compared with a number (e.g. %s >= 60)", t.text, t.text)
		}
		n := p.next()
		if n.kind != "num" {
			return nil, fmt.Errorf("expected a number after %s %s at column %d", t.text, o.text, n.pos+1)
		}
		v, err := strconv.ParseFloat(strings.TrimPrefix(n.text, "+"), 64)
		if err != nil {
			return nil, fmt.Errorf("bad number %q at column %d", n.text, n.pos+1)
		}
		return &expr{op: opCmp, gauge: gi, cmp: cmpOpOf(o.text), num: v}, nil
	case "eof":
		return nil, fmt.Errorf("condition ends too early")
	default:
		return nil, fmt.Errorf("unexpected %q at column %d", t.text, t.pos+1)
	}
}
