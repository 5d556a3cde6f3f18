package delivery

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/secops/eventexport/internal/keys"
)

// Result describes a delivered file.
type Result struct {
	Bucket string
	Key    string
	Bytes  int64
	SHA256 string
}

// Join concatenates an export's staged chunks, in chunk order, into one
// SSE-C object in the export bucket. Chunks of at least the minimum part
// size are copied inside S3; smaller ones (and the tails of large ones) are
// coalesced in a buffer of under two minimum parts. Meanwhile the staged
// bytes are read once, in order, for the file's SHA-256.
func (p *Platform) Join(ctx context.Context, community, exportID string, key *keys.SSECustomerKey) (Result, error) {
	objs, err := p.listStaged(ctx, exportID)
	if err != nil {
		return Result{}, err
	}
	res := Result{Bucket: p.ExportBucket, Key: ExportKey(community, exportID)}
	for _, o := range objs {
		res.Bytes += o.size
	}
	hashed := make(chan hashResult, 1)
	hashCtx, stopHash := context.WithCancel(ctx)
	defer stopHash()
	go func() { hashed <- p.hash(hashCtx, objs) }()

	if err := p.join(ctx, Target{S3: p.S3, Bucket: res.Bucket, Key: res.Key, sse: sseOf(key)}, objs); err != nil {
		return Result{}, err
	}
	h := <-hashed
	if h.err != nil {
		return Result{}, h.err
	}
	if h.n != res.Bytes {
		return Result{}, fmt.Errorf("staged chunks changed during the join: listed %d bytes, read %d", res.Bytes, h.n)
	}
	res.SHA256 = h.sum
	return res, nil
}

type hashResult struct {
	sum string
	n   int64
	err error
}

func (p *Platform) hash(ctx context.Context, objs []staged) hashResult {
	c := &chain{ctx: ctx, p: p, objs: objs}
	defer c.Close()
	h := sha256.New()
	n, err := io.Copy(h, c)
	return hashResult{sum: hex.EncodeToString(h.Sum(nil)), n: n, err: err}
}

func (p *Platform) join(ctx context.Context, t Target, objs []staged) error {
	sizes := p.Parts
	m, err := startMultipart(ctx, t)
	if err != nil {
		return err
	}
	var pending bytes.Buffer
	flush := func() error {
		if pending.Len() == 0 {
			return nil
		}
		err := m.part(ctx, pending.Bytes())
		pending.Reset()
		return err
	}
	appendRange := func(key string, first, last int64) error {
		r, err := p.openRange(ctx, key, first, last)
		if err != nil {
			return err
		}
		defer r.Close()
		_, err = pending.ReadFrom(r)
		return err
	}
	for _, o := range objs {
		var pos int64
		if pending.Len() > 0 {
			take := min(sizes.Min-int64(pending.Len()), o.size)
			if take > 0 {
				if err := appendRange(o.key, 0, take-1); err != nil {
					return m.abort(ctx, err)
				}
				pos = take
			}
			if int64(pending.Len()) >= sizes.Min {
				if err := flush(); err != nil {
					return m.abort(ctx, err)
				}
			}
		}
		for o.size-pos >= sizes.Min {
			n := min(sizes.Max, o.size-pos)
			if err := m.copyPart(ctx, p.StagingBucket, o.key, pos, pos+n-1); err != nil {
				return m.abort(ctx, err)
			}
			pos += n
		}
		if pos < o.size {
			if err := appendRange(o.key, pos, o.size-1); err != nil {
				return m.abort(ctx, err)
			}
			if int64(pending.Len()) >= sizes.Min {
				if err := flush(); err != nil {
					return m.abort(ctx, err)
				}
			}
		}
	}
	if err := flush(); err != nil {
		return m.abort(ctx, err)
	}
	if len(m.parts) == 0 {
		return m.abort(ctx, fmt.Errorf("export has no staged chunks"))
	}
	return m.complete(ctx)
}

// customerPartSize is the part size of uploads into a customer's bucket:
// above every provider's minimum, and it bounds memory to one buffer.
const customerPartSize = 16 << 20

// Deliver streams an export's staged chunks into a customer's bucket as one
// object (a copy across providers is impossible), hashing on the way.
func (p *Platform) Deliver(ctx context.Context, exportID string, c Customer, key *keys.SSECustomerKey) (Result, error) {
	objs, err := p.listStaged(ctx, exportID)
	if err != nil {
		return Result{}, err
	}
	src := &chain{ctx: ctx, p: p, objs: objs}
	defer src.Close()
	h := sha256.New()
	t := Target{S3: c.S3, Bucket: c.Bucket, Key: c.ObjectKey(exportID), sse: sseOf(key)}
	n, err := upload(ctx, t, io.TeeReader(src, h), customerPartSize)
	if err != nil {
		return Result{}, err
	}
	return Result{Bucket: c.Bucket, Key: t.Key, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
