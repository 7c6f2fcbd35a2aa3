// Package lex turns .ctm source into tokens for the configurator's parser.
// Positions count lines and columns from where the caller says the source
// starts, so that an expression taken from the middle of a file reports
// positions in that file; errors go to a callback with their position.
package lex

import (
	"strconv"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/internal/typo"
)

// Kind is the kind of a token.
type Kind uint8

const (
	EOF     Kind = iota
	Ident        // identifiers, keywords included
	QName        // `backquoted name`
	String       // "string", text unescaped
	Int          // 123
	Decimal      // 12.50
	LBrace       // {
	RBrace       // }
	LParen       // (
	RParen       // )
	Comma        // ,
	Star         // *
	DotDot       // ..
	Eq           // =
	Ne           // !=
	Lt           // <
	Le           // <=
	Gt           // >
	Ge           // >=
	Arrow        // ->
	Iff          // <->
	Plus         // +
	Minus        // -
	Slash        // /
	Percent      // %
	Illegal      // reported by the lexer already
)

var kindNames = [...]string{
	EOF: "end of file", Ident: "name", QName: "name", String: "string", Int: "integer",
	Decimal: "decimal", LBrace: `"{"`, RBrace: `"}"`, LParen: `"("`, RParen: `")"`,
	Comma: `","`, Star: `"*"`, DotDot: `".."`, Eq: `"="`, Ne: `"!="`, Lt: `"<"`,
	Le: `"<="`, Gt: `">"`, Ge: `">="`, Arrow: `"->"`, Iff: `"<->"`, Plus: `"+"`,
	Minus: `"-"`, Slash: `"/"`, Percent: `"%"`, Illegal: "invalid Token",
}

// Token is one token, at a 1-based line and column.
type Token struct {
	Kind      Kind
	Line, Col int32
	Text      string // name, unescaped string, number as written
}

// String is the token as an error message names it; a long name, string
// or number is shortened (typo.Quote).
func (t Token) String() string {
	switch t.Kind {
	case Ident:
		return typo.Quote(t.Text)
	case QName:
		if len(t.Text) > typo.MaxQuoted {
			return typo.Quote(t.Text)
		}
		return "`" + t.Text + "`"
	case String:
		return "string " + typo.Quote(t.Text)
	case Int, Decimal:
		return typo.Clip(t.Text)
	}
	return kindNames[t.Kind]
}

// String returns the kind as an error message names it ("name",
// `"{"`, "end of file").
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "token(" + strconv.Itoa(int(k)) + ")"
}

// Lexer turns source into tokens. Positions count lines from the line [New]
// was given and, on the first line only, columns from its column (so that an expression taken
// from the middle of a line reports positions in its file). A line ends at
// "\n", "\r\n" or a lone "\r" (old Mac OS files).
type Lexer struct {
	src       string
	off       int
	line      int
	lineStart int // offset of the current line's first byte
	col0      int // extra columns on the first line
	firstLine int
	report    func(line, col int, format string, args ...any)
	stringBuf []byte
	bracket   bool // a '[' was reported: its ']' is not reported again
}

// New returns a lexer of src whose first byte is at line atLine, column
// atCol (both 1-based; 0 means 1); errors are reported to errorf.
func New(src string, atLine, atCol int, errorf func(line, col int, format string, args ...any)) *Lexer {
	line, col0 := 1, 0
	if atLine > 0 {
		line = atLine
		if atCol > 0 {
			col0 = atCol - 1
		}
	}
	return &Lexer{src: src, line: line, firstLine: line, col0: col0, report: errorf}
}

// utf8BOM is the byte order mark some editors put at the start of a UTF-8
// file.
const utf8BOM = "\xef\xbb\xbf"

// SkipBOM skips a byte order mark at the start of the source; columns on
// the first line count from after it.
func (l *Lexer) SkipBOM() {
	if l.off == 0 && len(l.src) >= len(utf8BOM) && l.src[:len(utf8BOM)] == utf8BOM {
		l.off = len(utf8BOM)
		l.lineStart = l.off
	}
}

func (l *Lexer) pos(off int) (line, col int) {
	col = off - l.lineStart + 1
	if l.line == l.firstLine {
		col += l.col0
	}
	return l.line, col
}

// tok makes a Token of kind k at offset off.
func (l *Lexer) tok(k Kind, off int, text string) Token {
	line, col := l.pos(off)
	return Token{Kind: k, Line: int32(line), Col: int32(col), Text: text}
}

func (l *Lexer) errorf(off int, format string, args ...any) {
	line, col := l.pos(off)
	l.report(line, col, format, args...)
}

func isLetter(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// Next returns the next token, EOF at the end.
func (l *Lexer) Next() Token {
	src := l.src
	// Skip white space and comments.
	for l.off < len(src) {
		c := src[l.off]
		switch {
		case c == '\n' || c == '\r' && (l.off+1 == len(src) || src[l.off+1] != '\n'):
			l.off++
			l.line++
			l.lineStart = l.off
		case c == ' ' || c == '\t' || c == '\r':
			l.off++ // the "\r" of "\r\n"
		case c == '#' || c == '/' && l.off+1 < len(src) && src[l.off+1] == '/':
			start := l.off
			for l.off < len(src) && src[l.off] != '\n' && src[l.off] != '\r' {
				l.off++
			}
			// A comment is not read, but the file must be UTF-8 text
			// throughout (it is stored and sent as text).
			l.checkUTF8(start, l.off)
		default:
			goto scan
		}
	}
	return l.tok(EOF, l.off, "")
scan:
	start := l.off
	c := src[start]
	tok := func(k Kind, n int) Token {
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
		return tok(Ident, end-start)
	case isDigit(c):
		end := start + 1
		for end < len(src) && isDigit(src[end]) {
			end++
		}
		kind := Int
		if end+1 < len(src) && src[end] == '.' && isDigit(src[end+1]) {
			kind = Decimal
			end += 2
			for end < len(src) && isDigit(src[end]) {
				end++
			}
		}
		if end < len(src) && isLetter(src[end]) {
			for end < len(src) && (isLetter(src[end]) || isDigit(src[end]) || src[end] == '.') {
				end++
			}
			bad := typo.Clip(src[start:end])
			l.errorf(start, "malformed number %s (a name that does not start with a letter is written in backquotes: `%s`)", bad, bad)
			return tok(Illegal, end-start)
		}
		return tok(kind, end-start)
	case c == '"':
		return l.string(start)
	case c == '`':
		end := start + 1
		for end < len(src) && src[end] != '`' && src[end] != '\n' && src[end] != '\r' {
			end++
		}
		if end >= len(src) || src[end] != '`' {
			l.errorf(start, "backquoted name not terminated")
			return tok(Illegal, end-start)
		}
		name := src[start+1 : end]
		l.off = end + 1
		if !l.checkUTF8(start+1, end) {
			return l.tok(Illegal, start, "")
		}
		if name == "" {
			l.errorf(start, "empty backquoted name")
			return l.tok(Illegal, start, "")
		}
		return l.tok(QName, start, name)
	}
	switch c {
	case '{':
		return tok(LBrace, 1)
	case '}':
		return tok(RBrace, 1)
	case '(':
		return tok(LParen, 1)
	case ')':
		return tok(RParen, 1)
	case ',':
		return tok(Comma, 1)
	case '*':
		return tok(Star, 1)
	case '+':
		return tok(Plus, 1)
	case '/':
		return tok(Slash, 1)
	case '%':
		return tok(Percent, 1)
	case '=':
		switch peek(1) {
		case '=': // be liberal: == is =
			return tok(Eq, 2)
		case '>':
			l.errorf(start, `"=>" is not an operator: write "->" (implies)`)
			return tok(Illegal, 2)
		}
		return tok(Eq, 1)
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
		return tok(Illegal, n)
	case '[':
		l.errorf(start, "sets are written in braces: {a, b}")
		l.bracket = true
		return tok(Illegal, 1)
	case ']':
		if l.bracket {
			return tok(Illegal, 1)
		}
	case '.':
		if peek(1) == '.' {
			return tok(DotDot, 2)
		}
	case '!':
		if peek(1) == '=' {
			return tok(Ne, 2)
		}
		l.errorf(start, `unexpected "!" (write "not" or "!=")`)
		return tok(Illegal, 1)
	case '-':
		if peek(1) == '>' {
			return tok(Arrow, 2)
		}
		return tok(Minus, 1)
	case '<':
		switch {
		case peek(1) == '-' && peek(2) == '>':
			return tok(Iff, 3)
		case peek(1) == '=':
			return tok(Le, 2)
		case peek(1) == '>':
			l.errorf(start, `"<>" is not an operator: write "!="`)
			return tok(Illegal, 2)
		}
		return tok(Lt, 1)
	case '>':
		if peek(1) == '=' {
			return tok(Ge, 2)
		}
		return tok(Gt, 1)
	}
	r, n := utf8.DecodeRuneInString(src[start:])
	if r == utf8.RuneError && n <= 1 {
		l.errorf(start, "invalid UTF-8 byte 0x%02x (a file saved as GBK/GB18030 or another legacy encoding? save it as UTF-8)", c)
		return tok(Illegal, 1)
	}
	l.errorf(start, "unexpected character %q", r)
	return tok(Illegal, n)
}

// checkUTF8 reports the first byte of src[from:to] that is not valid UTF-8
// (at its own line and column: the range holds no newline) and says
// whether there was none.
func (l *Lexer) checkUTF8(from, to int) bool {
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
func (l *Lexer) string(start int) Token {
	src := l.src
	b := l.stringBuf[:0]
	i := start + 1
	ok := true
	for {
		if i >= len(src) || src[i] == '\n' || src[i] == '\r' {
			l.errorf(start, "string not terminated")
			l.off = i
			return l.tok(Illegal, start, "")
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
		return l.tok(Illegal, start, "")
	}
	return l.tok(String, start, text)
}
