package query

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar encodes precedence by nesting: OR binds loosest, then AND
// (explicit or implied by juxtaposition), then the NOT / '+' prefixes.

type gQuery struct {
	Expr *gOr `parser:"@@?"`
}

type gOr struct {
	Terms []*gAnd `parser:"@@ ( Or @@ )*"`
}

type gAnd struct {
	Factors []*gUnary `parser:"@@ ( And? @@ )*"`
}

type gUnary struct {
	Not  *gUnary   `parser:"(  Not @@"`
	Plus *gUnary   `parser:"| Plus @@"`
	Prim *gPrimary `parser:"| @@ )"`
}

type gPrimary struct {
	Group *gOr    `parser:"(  LParen @@ RParen"`
	Field *gField `parser:"| @@"`
	Value *gValue `parser:"| @@ )"`
}

type gField struct {
	Pos   lexer.Position
	Name  string  `parser:"@Field"`
	Cmp   *gCmp   `parser:"( @@"`
	Range *gRange `parser:"| @@"`
	Group *gOr    `parser:"| LParen @@ RParen"`
	Value *gValue `parser:"| @@ )"`
}

type gValue struct {
	Pos    lexer.Position
	Term   *string `parser:"(  @Term"`
	Phrase *string `parser:"| @Phrase )"`
}

type gCmp struct {
	Op    string  `parser:"@Cmp"`
	Value *gValue `parser:"@@"`
}

type gRange struct {
	Open  string  `parser:"@( LBrack | LBrace )"`
	Lo    *gValue `parser:"@@"`
	Hi    *gValue `parser:"To @@"`
	Close string  `parser:"@( RBrack | RBrace )"`
}

var parser = participle.MustBuild[gQuery](participle.Lexer(definition{}))
