// Package query implements the Lucene/Kibana query syntax that analysts type
// into a search job, compiled once into a predicate over raw JSON event
// lines. Nested ({"user":{"name":..}}), flat-dotted ({"user.name":..}) and
// mixed events answer alike because fields are resolved as event.LookupIn
// resolves them: by Match itself, or, for Accept, by the encoder in the pass
// over each line that also projects it.
//
// # Syntax
//
//	user.name:admin              field:value
//	user.name:"John Smith"       quoted phrase; \" and \\ escape inside
//	user.name:adm*  host.name:w?b  wildcards, anchored to the whole value
//	file.path:C\:\\Windows\*     backslash makes any character literal
//	bytes:[100 TO 200]  bytes:{100 TO 200}  bytes:[100 TO *}  ranges
//	bytes:>=100  bytes:<5        comparisons (> >= < <=)
//	source.ip:10.0.0.0/8  source.ip:2001:db8::/32  CIDR containment
//	_exists_:user.name  user.name:*   field present and not null
//	event.action:(login OR logout)   several values for one field
//	a AND b, a && b, +a            both; juxtaposition means AND too
//	a OR b, a || b                 either
//	NOT a, !a, -a                  negation
//	failed "bad password"          bare terms and phrases search message
//
// Precedence is NOT, then AND, then OR; parentheses group. Operators are
// recognised only in upper case; "and" is a term. After "field:" a ':' is
// part of the value, so IPv6 addresses need no quoting; a bare term with a
// ':' must escape it. "+" only marks a clause as required, which every
// clause already is under the default AND. Fuzzy (~), boosts (^), regular
// expressions (/re/) and field-name wildcards are not supported; "~" and "^"
// are ordinary characters.
//
// # Matching rules
//
//   - Field names are case-sensitive (ECS names are lower case).
//   - field:value is exact and case-sensitive, wildcards included. It also
//     matches typed readings of the same value: a number equal to the query
//     number (destination.port:443 matches 443 and "443"), an IP equal to a
//     query IP after normalisation (::1 equals 0:0:0:0:0:0:0:1, and IPv4-mapped
//     IPv6 equals IPv4), an IP inside a query CIDR, an instant equal to a query
//     timestamp, and JSON true/false for true/false. A quoted value is the same
//     except that * and ? in it are literal.
//   - Bare terms and phrases, and any value given for the message field
//     itself, are full-text: they match when message contains them,
//     case-insensitively under Unicode simple folding. Wildcards in them stand
//     for any run or any one character inside that substring, so fail*ssh
//     matches "Failed login via SSH". A lone * matches every event.
//   - Ranges and comparisons compare numbers as numbers when the event value
//     and every bound are numeric; else as instants when all parse as
//     timestamps (RFC 3339 with any offset, or epoch milliseconds, see
//     event.ParseTime); else as IP addresses when all are IPs; else as strings,
//     byte-wise. [* TO *] matches any non-null value.
//   - An array matches when any element does, nested arrays included.
//   - null, objects and missing fields match no value; _exists_ is false for
//     null, [] and [null], as in Elasticsearch.
//   - Lines that are not JSON objects match nothing, except that a match-all
//     query ("", "*", "*:*") never looks at the line.
package query
