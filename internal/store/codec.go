package store

import (
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// attrs reads typed values out of an item, tolerating absent attributes.
type attrs map[string]types.AttributeValue

func (a attrs) str(name string) string {
	if v, ok := a[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func (a attrs) num(name string) int64 {
	if v, ok := a[name].(*types.AttributeValueMemberN); ok {
		n, _ := strconv.ParseInt(v.Value, 10, 64)
		return n
	}
	return 0
}

func (a attrs) bytes(name string) []byte {
	if v, ok := a[name].(*types.AttributeValueMemberB); ok {
		return v.Value
	}
	return nil
}

func (a attrs) time(name string) time.Time {
	s := a.str(name)
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func (a attrs) list(name string) []string {
	v, ok := a[name].(*types.AttributeValueMemberL)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(v.Value))
	for _, e := range v.Value {
		if s, ok := e.(*types.AttributeValueMemberS); ok {
			out = append(out, s.Value)
		}
	}
	return out
}

func (a attrs) mapKeys(name string) map[string]int64 {
	v, ok := a[name].(*types.AttributeValueMemberM)
	if !ok {
		return nil
	}
	out := make(map[string]int64, len(v.Value))
	for k := range v.Value {
		out[k] = attrs(v.Value).num(k)
	}
	return out
}

// sortableTime is RFC 3339 in UTC with a fixed nine-digit fraction, so that
// string order is time order (lists sort and filter on it).
const sortableTime = "2006-01-02T15:04:05.000000000Z"

func timeAttr(t time.Time) types.AttributeValue {
	if t.IsZero() {
		return &types.AttributeValueMemberNULL{Value: true}
	}
	return str(t.UTC().Format(sortableTime))
}

func listAttr(values []string) types.AttributeValue {
	l := make([]types.AttributeValue, len(values))
	for i, v := range values {
		l[i] = str(v)
	}
	return &types.AttributeValueMemberL{Value: l}
}
