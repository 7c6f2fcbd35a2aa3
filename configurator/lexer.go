package configurator

import (
	"strconv"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF     tokKind = iota
	tIdent           // identifiers, keywords included
	tQName           // `backquoted name`
	tString          // "string", text unescaped
	tInt             // 123
	tDecimal         // 12.50
	tLBrace          // {
	tRBrace          // }
	tLParen          // (
	tRParen          // )
	tComma           // ,
	tStar            // *
	tDotDot          // ..
	tEq              // =
	tNe              // !=
	tLt              // <
	tLe              // <=
	tGt              // >
	tGe              // >=
	tArrow           // ->
	tIff             // <->
	tPlus            // +
	tMinus           // -
	tSlash           // /
	tPercent         // %
	tIllegal         // reported by the lexer already
)

var tokNames = [...]string{
	tEOF: "end of file", tIdent: "name", tQName: "name", tString: "string", tInt: "integer",
	tDecimal: "decimal", tLBrace: `"{"`, tRBrace: `"}"`, tLParen: `"("`, tRParen: `")"`,
	tComma: `","`, tStar: `"*"`, tDotDot: `".."`, tEq: `"="`, tNe: `"!="`, tLt: `"<"`,
	tLe: `"<="`, tGt: `">"`, tGe: `">="`, tArrow: `"->"`, tIff: `"<->"`, tPlus: `"+"`,
	tMinus: `"-"`, tSlash: `"/"`, tPercent: `"%"`, tIllegal: "invalid token",
}

type token struct {
	kind      tokKind
	line, col int32
	text      string // name, unescaped string, number as written
}

func (t token) String() string {
	switch t.kind {
	case tIdent:
		return strconv.Quote(t.text)
	case tQName:
		return "`" + t.text + "`"
	case tString:
		return "string " + strconv.Quote(t.text)
	case tInt, tDecimal:
		return t.text
	}
	return tokNames[t.kind]
}

// lexer turns source into tokens. Positions count lines from line0 and,
// on the first line only, columns from col0+1 (so that an expression taken
// from the middle of a line reports positions in its file).
type lexer struct {
	src       string
	off       int
	file      string
	line      int
	lineStart int // offset of the current line's first byte
	col0      int // extra columns on the first line
	firstLine int
	errs      *ErrorList
	stringBuf []byte
	bracket   bool // a '[' was reported: its ']' is not reported again
}

func newLexer(file string, src string, at Pos, errs *ErrorList) *lexer {
	line, col0 := 1, 0
	if at.Line > 0 {
		line = at.Line
		if at.Col > 0 {
			col0 = at.Col - 1
		}
	}
	return &lexer{src: src, file: file, line: line, firstLine: line, col0: col0, errs: errs}
}

// utf8BOM is the byte order mark some editors put at the start of a UTF-8
// file.
const utf8BOM = "\xef\xbb\xbf"

// skipBOM skips a byte order mark at the start of the source; columns on
// the first line count from after it.
func (l *lexer) skipBOM() {
	if l.off == 0 && len(l.src) >= len(utf8BOM) && l.src[:len(utf8BOM)] == utf8BOM {
		l.off = len(utf8BOM)
		l.lineStart = l.off
	}
}

func (l *lexer) pos(off int) Pos {
	col := off - l.lineStart + 1
	if l.line == l.firstLine {
		col += l.col0
	}
	return Pos{File: l.file, Line: l.line, Col: col}
}

// tok makes a token of kind k at offset off.
func (l *lexer) tok(k tokKind, off int, text string) token {
	p := l.pos(off)
	return token{kind: k, line: int32(p.Line), col: int32(p.Col), text: text}
}

func (l *lexer) errorf(off int, format string, args ...any) {
	l.errs.Add(l.pos(off), format, args...)
}

func isLetter(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

func (l *lexer) next() token {
	src := l.src
	// Skip white space and comments.
	for l.off < len(src) {
		c := src[l.off]
		switch {
		case c == '\n':
			l.off++
			l.line++
			l.lineStart = l.off
		case c == ' ' || c == '\t' || c == '\r':
			l.off++
		case c == '#' || c == '/' && l.off+1 < len(src) && src[l.off+1] == '/':
			start := l.off
			for l.off < len(src) && src[l.off] != '\n' {
				l.off++
			}
			// A comment is not read, but the file must be UTF-8 text
			// throughout (it is stored and sent as text).
			l.checkUTF8(start, l.off)
		default:
			goto scan
		}
	}
	return l.tok(tEOF, l.off, "")
scan:
	start := l.off
	c := src[start]
	tok := func(k tokKind, n int) token {
		l.off += n
		return l.tok(k, start, src[start:l.off])
	}
	peek := func(i int) byte {
		if start+i < len(src) {
			return src[start+i]
		}
		return 0
	}
	switch {
	case isLetter(c):
		end := start + 1
		for end < len(src) && (isLetter(src[end]) || isDigit(src[end])) {
			end++
		}
		return tok(tIdent, end-start)
	case isDigit(c):
		end := start + 1
		for end < len(src) && isDigit(src[end]) {
			end++
		}
		kind := tInt
		if end+1 < len(src) && src[end] == '.' && isDigit(src[end+1]) {
			kind = tDecimal
			end += 2
			for end < len(src) && isDigit(src[end]) {
				end++
			}
		}
		if end < len(src) && isLetter(src[end]) {
			for end < len(src) && (isLetter(src[end]) || isDigit(src[end]) || src[end] == '.') {
				end++
			}
			l.errorf(start, "malformed number %s (a name that does not start with a letter is written in backquotes: `%s`)", src[start:end], src[start:end])
			return tok(tIllegal, end-start)
		}
		return tok(kind, end-start)
	case c == '"':
		return l.string(start)
	case c == '`':
		end := start + 1
		for end < len(src) && src[end] != '`' && src[end] != '\n' {
			end++
		}
		if end >= len(src) || src[end] != '`' {
			l.errorf(start, "backquoted name not terminated")
			return tok(tIllegal, end-start)
		}
		name := src[start+1 : end]
		l.off = end + 1
		if !l.checkUTF8(start+1, end) {
			return l.tok(tIllegal, start, "")
		}
		if name == "" {
			l.errorf(start, "empty backquoted name")
			return l.tok(tIllegal, start, "")
		}
		return l.tok(tQName, start, name)
	}
	switch c {
	case '{':
		return tok(tLBrace, 1)
	case '}':
		return tok(tRBrace, 1)
	case '(':
		return tok(tLParen, 1)
	case ')':
		return tok(tRParen, 1)
	case ',':
		return tok(tComma, 1)
	case '*':
		return tok(tStar, 1)
	case '+':
		return tok(tPlus, 1)
	case '/':
		return tok(tSlash, 1)
	case '%':
		return tok(tPercent, 1)
	case '=':
		switch peek(1) {
		case '=': // be liberal: == is =
			return tok(tEq, 2)
		case '>':
			l.errorf(start, `"=>" is not an operator: write "->" (implies)`)
			return tok(tIllegal, 2)
		}
		return tok(tEq, 1)
	case '&', '|':
		n, op := 1, string(c)
		if peek(1) == c {
			n, op = 2, op+op
		}
		word := "and"
		if c == '|' {
			word = "or"
		}
		l.errorf(start, "%q is not an operator: write %q", op, word)
		return tok(tIllegal, n)
	case '[':
		l.errorf(start, "sets are written in braces: {a, b}")
		l.bracket = true
		return tok(tIllegal, 1)
	case ']':
		if l.bracket {
			return tok(tIllegal, 1)
		}
	case '.':
		if peek(1) == '.' {
			return tok(tDotDot, 2)
		}
	case '!':
		if peek(1) == '=' {
			return tok(tNe, 2)
		}
		l.errorf(start, `unexpected "!" (write "not" or "!=")`)
		return tok(tIllegal, 1)
	case '-':
		if peek(1) == '>' {
			return tok(tArrow, 2)
		}
		return tok(tMinus, 1)
	case '<':
		switch {
		case peek(1) == '-' && peek(2) == '>':
			return tok(tIff, 3)
		case peek(1) == '=':
			return tok(tLe, 2)
		case peek(1) == '>':
			l.errorf(start, `"<>" is not an operator: write "!="`)
			return tok(tIllegal, 2)
		}
		return tok(tLt, 1)
	case '>':
		if peek(1) == '=' {
			return tok(tGe, 2)
		}
		return tok(tGt, 1)
	}
	r, n := utf8.DecodeRuneInString(src[start:])
	if r == utf8.RuneError && n <= 1 {
		l.errorf(start, "invalid UTF-8 byte 0x%02x (a file saved as GBK/GB18030 or another legacy encoding? save it as UTF-8)", c)
		return tok(tIllegal, 1)
	}
	l.errorf(start, "unexpected character %q", r)
	return tok(tIllegal, n)
}

// checkUTF8 reports the first byte of src[from:to] that is not valid UTF-8
// (at its own line and column: the range holds no newline) and says
// whether there was none.
func (l *lexer) checkUTF8(from, to int) bool {
	s := l.src[from:to]
	if utf8.ValidString(s) {
		return true
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			l.errorf(from+i, "invalid UTF-8 byte 0x%02x (a file saved as GBK/GB18030 or another legacy encoding? save it as UTF-8)", s[i])
			return false
		}
		i += n
	}
	return false
}

// string lexes a double-quoted string starting at start.
func (l *lexer) string(start int) token {
	src := l.src
	b := l.stringBuf[:0]
	i := start + 1
	ok := true
	for {
		if i >= len(src) || src[i] == '\n' {
			l.errorf(start, "string not terminated")
			l.off = i
			return l.tok(tIllegal, start, "")
		}
		c := src[i]
		if c == '"' {
			i++
			break
		}
		if c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		if i+1 >= len(src) {
			i++
			continue
		}
		switch e := src[i+1]; e {
		case '"', '\\':
			b = append(b, e)
		case 'n':
			b = append(b, '\n')
		case 't':
			b = append(b, '\t')
		case 'r':
			b = append(b, '\r')
		default:
			l.errorf(i, `unknown escape \%c in string (use \", \\, \n, \t or \r)`, e)
			ok = false
		}
		i += 2
	}
	l.off = i
	l.stringBuf = b
	text := string(b)
	// Escapes are ASCII: the text is valid exactly when the source is.
	if !l.checkUTF8(start+1, i-1) {
		ok = false
	}
	if !ok {
		return l.tok(tIllegal, start, "")
	}
	return l.tok(tString, start, text)
}
