package encode

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
)

// gunzipper decompresses a multi-member gzip stream. Decompression is most
// of the encoder's CPU, and on event data this decoder needs about 40% less
// of it than klauspost/compress's (BenchmarkGunzip): it refills a 64-bit bit
// buffer a word at a time, decodes up to three literals per refill with one
// table lookup each, and copies matches eight bytes at a time within one
// flat window. It checks what klauspost's checks (header, code sets,
// distances, CRC-32 and length of every member); TestGunzipMatchesKlauspost
// and FuzzGunzip hold the two to the same output and the same verdicts.
type gunzipper struct {
	r     io.Reader
	in    []byte // compressed input; at EOF followed by inPad zero bytes
	ip    int    // next byte of in to load into bits
	end   int    // real end of in, without the padding
	eof   bool
	bits  uint64
	nbits uint

	win  []byte // history (up to winSize) then fresh output, then slack
	op   int    // write position
	rp   int    // next byte to hand out
	base int    // where this member's output starts; may be negative after slides
	crcp int    // output before crcp is in crc
	crc  uint32
	size uint32

	state  int
	final  bool // this block is the member's last
	stored int  // bytes left in the current stored block
	err    error

	lit  [litTableSize]uint32
	dist [distTableSize]uint32
	lens [maxLit + maxDist]uint8
}

const (
	winSize    = 32 << 10
	outSize    = 512 << 10    // fresh output per refill of the window
	matchSlack = maxMatch + 8 // a match copy may write 8 bytes past its end
	inSize     = 128 << 10
	inPad      = 16
	maxMatch   = 258
	maxLit     = 288
	maxDist    = 32

	litBits       = 10
	distBits      = 8
	litTableSize  = 1<<litBits + 288*32 // main table and worst-case subtables
	distTableSize = 1<<distBits + 32*128

	// table entry: value<<16 | flags | extra<<8 | code length
	fLit  = 1 << 12
	fLen  = 1 << 13 // also: a distance
	fEOB  = 1 << 14
	fSub  = 1 << 15 // value is a subtable offset, extra its index bits
	lenMk = 31
)

const (
	stHeader = iota
	stBlock
	stHuffman
	stStored
	stTrailer
	stDone
)

var (
	errCorrupt   = errors.New("gzip: corrupt deflate data")
	errChecksum  = errors.New("gzip: invalid checksum")
	errGzipHdr   = errors.New("gzip: invalid header")
	errTruncated = io.ErrUnexpectedEOF
)

var (
	lenBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	dstBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	dstExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	clOrder  = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

func newGunzipper() *gunzipper {
	return &gunzipper{in: make([]byte, 0, inSize+inPad), win: make([]byte, winSize+outSize+matchSlack)}
}

// Reset starts on a new stream. Like gzip.NewReader it reads the first
// header, and returns io.EOF for an empty stream.
func (z *gunzipper) Reset(r io.Reader) error {
	*z = gunzipper{r: r, in: z.in[:0], win: z.win}
	z.state = stHeader
	if err := z.header(); err != nil {
		z.err = err
		return err
	}
	return nil
}

func (z *gunzipper) Read(p []byte) (int, error) {
	for z.rp == z.op {
		if z.err != nil {
			return 0, z.err
		}
		z.step()
	}
	n := copy(p, z.win[z.rp:z.op])
	z.rp += n
	return n, nil
}

// fill makes more input available, keeping in[ip:]; false at the end.
func (z *gunzipper) fill() bool {
	if z.eof {
		return false
	}
	n := copy(z.in[:cap(z.in)], z.in[z.ip:])
	z.in, z.ip = z.in[:n], 0
	for empty := 0; len(z.in) < inSize/2; {
		m, err := z.r.Read(z.in[len(z.in):inSize])
		z.in = z.in[:len(z.in)+m]
		if err == io.EOF {
			z.eof = true
			break
		}
		if err != nil {
			z.err = err
			return false
		}
		if m > 0 {
			empty = 0
		} else if empty++; empty > 100 {
			z.err = io.ErrNoProgress
			return false
		}
	}
	z.end = len(z.in)
	if z.eof {
		z.in = append(z.in, make([]byte, inPad)...)
	}
	return true
}

// overrun reports whether the decoder used bits from the zero padding.
func (z *gunzipper) overrun() bool {
	return z.eof && z.ip-int(z.nbits>>3) > z.end
}

func (z *gunzipper) need(n uint) bool {
	for z.nbits < n {
		if z.ip >= z.end {
			if z.eof || !z.fill() || z.ip >= z.end {
				return false
			}
		}
		z.bits |= uint64(z.in[z.ip]) << z.nbits
		z.ip++
		z.nbits += 8
	}
	return true
}

func (z *gunzipper) take(n uint) uint32 {
	v := uint32(z.bits & (1<<n - 1))
	z.bits >>= n
	z.nbits -= n
	return v
}

// byte reads one byte at a byte boundary: from the bit buffer first.
func (z *gunzipper) byte() (byte, bool) {
	if !z.need(8) {
		return 0, false
	}
	return byte(z.take(8)), true
}

// header reads a member header; no data at all is io.EOF, for the first
// member as for those after it (Go's gzip reads "zero or more" members).
func (z *gunzipper) header() error {
	var h [10]byte
	for i := range h {
		b, ok := z.byte()
		if !ok {
			if z.err != nil {
				return z.err
			}
			if i == 0 {
				return io.EOF
			}
			return errTruncated
		}
		h[i] = b
	}
	if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 {
		return errGzipHdr
	}
	flg := h[3]
	digest := crc32.ChecksumIEEE(h[:])
	rd := func() (byte, error) {
		b, ok := z.byte()
		if !ok {
			if z.err != nil {
				return 0, z.err
			}
			return 0, errTruncated
		}
		digest = crc32.Update(digest, crc32.IEEETable, []byte{b})
		return b, nil
	}
	if flg&4 != 0 { // FEXTRA
		lo, err := rd()
		if err != nil {
			return err
		}
		hi, err := rd()
		if err != nil {
			return err
		}
		for range int(lo) | int(hi)<<8 {
			if _, err := rd(); err != nil {
				return err
			}
		}
	}
	for _, f := range []byte{8, 16} { // FNAME, FCOMMENT: as Go's, at most 511 bytes
		if flg&f == 0 {
			continue
		}
		for i := 0; ; i++ {
			if i >= 512 {
				return errGzipHdr
			}
			b, err := rd()
			if err != nil {
				return err
			}
			if b == 0 {
				break
			}
		}
	}
	if flg&2 != 0 { // FHCRC
		want := uint16(digest)
		lo, err := rd()
		if err != nil {
			return err
		}
		hi, err := rd()
		if err != nil {
			return err
		}
		if uint16(lo)|uint16(hi)<<8 != want {
			return errGzipHdr
		}
	}
	if flg>>5 != 0 {
		return errGzipHdr
	}
	z.base, z.crc, z.size, z.crcp = z.op, 0, 0, z.op
	z.state = stBlock
	return nil
}

// step produces some output, or moves z.err to the end of the stream.
func (z *gunzipper) step() {
	if z.rp == z.op && z.op > winSize+outSize/2 {
		z.slide()
	}
	switch z.state {
	case stBlock:
		z.err = z.block()
	case stHuffman:
		z.err = z.huffman()
	case stStored:
		z.err = z.copyStored()
	case stTrailer:
		z.err = z.trailer()
	case stDone:
		z.err = io.EOF
	}
	z.sum()
}

// sum adds the output made since the last call to the member's checksum.
func (z *gunzipper) sum() {
	if z.op > z.crcp {
		z.crc = crc32.Update(z.crc, crc32.IEEETable, z.win[z.crcp:z.op])
		z.size += uint32(z.op - z.crcp)
		z.crcp = z.op
	}
}

// slide keeps the last winSize bytes of output as history, at the front.
func (z *gunzipper) slide() {
	if z.rp != z.op {
		return
	}
	shift := z.op - winSize
	if shift <= 0 {
		return
	}
	copy(z.win, z.win[shift:z.op])
	z.op -= shift
	z.rp -= shift
	z.crcp -= shift
	z.base -= shift
}

func (z *gunzipper) block() error {
	if !z.need(3) {
		return z.short()
	}
	h := z.take(3)
	z.final = h&1 != 0
	switch h >> 1 {
	case 0:
		z.take(z.nbits & 7)
		var b [4]byte
		for i := range b {
			v, ok := z.byte()
			if !ok {
				return z.short()
			}
			b[i] = v
		}
		n := uint16(b[0]) | uint16(b[1])<<8
		if n != ^(uint16(b[2]) | uint16(b[3])<<8) {
			return errCorrupt
		}
		z.stored = int(n)
		z.state = stStored
		return nil
	case 1:
		z.fixedTables()
	case 2:
		if err := z.dynamicTables(); err != nil {
			return err
		}
	default:
		return errCorrupt
	}
	z.state = stHuffman
	return nil
}

// short is the error for input that ended early.
func (z *gunzipper) short() error {
	if z.err != nil {
		return z.err
	}
	return errTruncated
}

func (z *gunzipper) endBlock() {
	if z.final {
		z.state = stTrailer
	} else {
		z.state = stBlock
	}
}

func (z *gunzipper) copyStored() error {
	for z.stored > 0 {
		room := len(z.win) - matchSlack - z.op
		if room <= 0 {
			return nil
		}
		// Whole bytes may still sit in the bit buffer.
		if z.nbits >= 8 {
			z.win[z.op] = byte(z.take(8))
			z.op++
			z.stored--
			continue
		}
		if z.ip >= z.end && (!z.fill() || z.ip >= z.end) {
			return z.short()
		}
		n := copy(z.win[z.op:z.op+min(room, z.stored)], z.in[z.ip:z.end])
		z.ip += n
		z.op += n
		z.stored -= n
	}
	z.endBlock()
	return nil
}

func (z *gunzipper) trailer() error {
	z.take(z.nbits & 7)
	var t [8]byte
	for i := range t {
		b, ok := z.byte()
		if !ok {
			return z.short()
		}
		t[i] = b
	}
	z.sum()
	if binary.LittleEndian.Uint32(t[:4]) != z.crc || binary.LittleEndian.Uint32(t[4:]) != z.size {
		return errChecksum
	}
	switch err := z.header(); err {
	case nil:
		return nil
	case io.EOF:
		z.state = stDone
		return nil
	default:
		return err
	}
}

// huffman decodes a compressed block until it ends or the window is full.
func (z *gunzipper) huffman() error {
	for {
		if err := z.fast(); err != nil {
			return err
		}
		if z.overrun() {
			return errTruncated
		}
		if z.state != stHuffman || z.op > len(z.win)-matchSlack-winSize/4 {
			return nil
		}
		// Close to the end of the buffered input: one symbol at a time.
		if err := z.slow(); err != nil {
			return err
		}
		if z.state != stHuffman {
			return nil
		}
	}
}

// fast is the hot loop. It runs while at least 16 input bytes and a full
// match of window are left, so it never checks either inside.
func (z *gunzipper) fast() error {
	in, win := z.in, z.win
	ip, op, bits, nbits := z.ip, z.op, z.bits, z.nbits
	inLimit := len(in) - 16
	outLimit := len(win) - matchSlack - winSize/4
	lit, dist := &z.lit, &z.dist
	var err error
	for ip <= inLimit && op <= outLimit {
		bits |= binary.LittleEndian.Uint64(in[ip:]) << nbits
		ip += int((63 - nbits) >> 3)
		nbits |= 56

		e := lit[bits&(1<<litBits-1)]
		if e&fSub != 0 {
			e = lit[(e>>16)+uint32(bits>>litBits)&(1<<(e>>8&15)-1)]
		}
		if e&fLit != 0 {
			n := e & lenMk
			bits >>= n
			nbits -= uint(n)
			win[op] = byte(e >> 16)
			op++
			// Two more literals fit the bits left without a refill.
			e = lit[bits&(1<<litBits-1)]
			if e&(fLit|fSub) != fLit {
				continue
			}
			n = e & lenMk
			bits >>= n
			nbits -= uint(n)
			win[op] = byte(e >> 16)
			op++
			e = lit[bits&(1<<litBits-1)]
			if e&(fLit|fSub) != fLit {
				continue
			}
			n = e & lenMk
			bits >>= n
			nbits -= uint(n)
			win[op] = byte(e >> 16)
			op++
			continue
		}
		n := e & lenMk
		if n == 0 {
			err = errCorrupt
			break
		}
		bits >>= n
		nbits -= uint(n)
		if e&fEOB != 0 {
			z.endBlock()
			break
		}
		ex := e >> 8 & 15
		length := int(e>>16) + int(bits&(1<<ex-1))
		bits >>= ex
		nbits -= uint(ex)

		d := dist[bits&(1<<distBits-1)]
		if d&fSub != 0 {
			d = dist[(d>>16)+uint32(bits>>distBits)&(1<<(d>>8&15)-1)]
		}
		n = d & lenMk
		if n == 0 {
			err = errCorrupt
			break
		}
		bits >>= n
		nbits -= uint(n)
		ex = d >> 8 & 15
		distance := int(d>>16) + int(bits&(1<<ex-1))
		bits >>= ex
		nbits -= uint(ex)
		if distance > op-z.base {
			err = errCorrupt
			break
		}
		op = copyMatch(win, op, distance, length)
	}
	z.ip, z.op, z.bits, z.nbits = ip, op, bits, nbits
	return err
}

// copyMatch copies length bytes from distance back and returns the new op.
func copyMatch(win []byte, op, distance, length int) int {
	src := op - distance
	if distance >= 8 {
		// Each 8-byte load reads bytes that are final: they lie at least 8
		// behind the store. Most matches are short, so the first 16 bytes go
		// without a loop.
		w := (*[maxMatch + 8]byte)(win[op:])
		r := (*[maxMatch + 8]byte)(win[src:])
		binary.LittleEndian.PutUint64(w[0:8], binary.LittleEndian.Uint64(r[0:8]))
		binary.LittleEndian.PutUint64(w[8:16], binary.LittleEndian.Uint64(r[8:16]))
		for i := 16; i < length && i <= maxMatch; i += 8 {
			binary.LittleEndian.PutUint64(w[i:i+8], binary.LittleEndian.Uint64(r[i:i+8]))
		}
		return op + length
	}
	if distance == 1 {
		b := win[src]
		for i := range win[op : op+length] {
			win[op+i] = b
		}
		return op + length
	}
	for i := range length {
		win[op+i] = win[src+i]
	}
	return op + length
}

// slow decodes one symbol with bounds-checked reads, for the last bytes of
// the input buffer.
func (z *gunzipper) slow() error {
	e, err := z.symbol(z.lit[:], litBits)
	if err != nil {
		return err
	}
	if e&fLit != 0 {
		z.win[z.op] = byte(e >> 16)
		z.op++
		return nil
	}
	if e&fEOB != 0 {
		z.endBlock()
		return nil
	}
	ex := uint(e >> 8 & 15)
	if !z.need(ex) {
		return z.short()
	}
	length := int(e>>16) + int(z.take(ex))
	d, err := z.symbol(z.dist[:], distBits)
	if err != nil {
		return err
	}
	ex = uint(d >> 8 & 15)
	if !z.need(ex) {
		return z.short()
	}
	distance := int(d>>16) + int(z.take(ex))
	if distance > z.op-z.base {
		return errCorrupt
	}
	z.op = copyMatch(z.win, z.op, distance, length)
	return nil
}

// symbol decodes one code with as many bits as the input still has.
func (z *gunzipper) symbol(table []uint32, tableBits uint) (uint32, error) {
	z.need(15) // at the end of the input fewer may be left; the code may still fit
	e := table[z.bits&(1<<tableBits-1)]
	if e&fSub != 0 {
		e = table[(e>>16)+uint32(z.bits>>tableBits)&(1<<(e>>8&15)-1)]
	}
	n := uint(e & lenMk)
	if n == 0 {
		return 0, errCorrupt
	}
	if n > z.nbits {
		return 0, z.short()
	}
	z.take(n)
	return e, nil
}

func (z *gunzipper) fixedTables() {
	var l [maxLit + maxDist]uint8
	for i := range maxLit {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	for i := range maxDist {
		l[maxLit+i] = 5
	}
	buildTable(z.lit[:], litBits, l[:maxLit], litLen)
	buildTable(z.dist[:], distBits, l[maxLit:], distances)
}

func (z *gunzipper) dynamicTables() error {
	if !z.need(14) {
		return z.short()
	}
	nlit := int(z.take(5)) + 257
	ndist := int(z.take(5)) + 1
	nclen := int(z.take(4)) + 4
	if nlit > 286 || ndist > 30 {
		return errCorrupt
	}
	var cl [19]uint8
	for i := range nclen {
		if !z.need(3) {
			return z.short()
		}
		cl[clOrder[i]] = uint8(z.take(3))
	}
	var clTable [1 << 7]uint32
	if !buildTable(clTable[:], 7, cl[:], codeLengths) {
		return errCorrupt
	}
	lens := z.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		z.need(7) // the last code may be shorter than 7 bits: checked below
		e := clTable[z.bits&(1<<7-1)]
		n := uint(e & lenMk)
		if n == 0 {
			return errCorrupt
		}
		if n > z.nbits {
			return z.short()
		}
		z.take(n)
		sym := e >> 16
		if sym < 16 {
			lens[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var val uint8
		switch sym {
		case 16:
			if i == 0 {
				return errCorrupt
			}
			if !z.need(2) {
				return z.short()
			}
			rep, val = 3+int(z.take(2)), lens[i-1]
		case 17:
			if !z.need(3) {
				return z.short()
			}
			rep = 3 + int(z.take(3))
		default:
			if !z.need(7) {
				return z.short()
			}
			rep = 11 + int(z.take(7))
		}
		if i+rep > len(lens) {
			return errCorrupt
		}
		for range rep {
			lens[i] = val
			i++
		}
	}
	if lens[256] == 0 {
		return errCorrupt // no end of block
	}
	if !buildTable(z.lit[:], litBits, lens[:nlit], litLen) || !buildTable(z.dist[:], distBits, lens[nlit:], distances) {
		return errCorrupt
	}
	if z.overrun() {
		return errTruncated
	}
	return nil
}

// buildTable fills a decoding table for canonical code lengths and reports
// whether they form a valid code: complete, or a single one-bit code (which
// zlib writes and Go accepts), or empty (an error only when used).
func buildTable(table []uint32, tableBits uint, lens []uint8, kind int) bool {
	var count [16]int
	maxLen := 0
	for _, l := range lens {
		count[l]++
		maxLen = max(maxLen, int(l))
	}
	count[0] = 0
	left := 1
	for l := 1; l < 16; l++ {
		left = left<<1 - count[l]
		if left < 0 {
			return false
		}
	}
	clear(table[:1<<tableBits])
	if maxLen == 0 {
		return true
	}
	if left > 0 && !(maxLen == 1 && count[1] == 1) {
		return false
	}
	var next [16]int
	code := 0
	for l := 1; l < 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	subBits := uint(max(maxLen-int(tableBits), 0))
	free := 1 << tableBits
	for sym, l := range lens {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		rev := reverseBits(c, uint(l))
		e := symEntry(sym, kind)
		if e != 0 || kind == codeLengths {
			e |= uint32(l)
		}
		if uint(l) <= tableBits {
			for i := rev; i < 1<<tableBits; i += 1 << l {
				table[i] = e
			}
			continue
		}
		p := rev & (1<<tableBits - 1)
		if table[p]&fSub == 0 {
			table[p] = uint32(free)<<16 | fSub | uint32(subBits)<<8
			clear(table[free : free+1<<subBits])
			free += 1 << subBits
		}
		off := int(table[p] >> 16)
		hi := rev >> tableBits
		for i := hi; i < 1<<subBits; i += 1 << (uint(l) - tableBits) {
			table[off+i] = e
		}
	}
	return true
}

// The alphabets of a deflate stream.
const (
	litLen = iota
	distances
	codeLengths
)

// symEntry is the table value of a symbol, without its code length; 0 for a
// symbol that must not occur.
func symEntry(sym int, kind int) uint32 {
	switch {
	case kind == codeLengths:
		return uint32(sym) << 16
	case kind == distances:
		if sym >= 30 {
			return 0 // invalid distance: a zero length makes it an error
		}
		return uint32(dstBase[sym])<<16 | fLen | uint32(dstExtra[sym])<<8
	case sym < 256:
		return uint32(sym)<<16 | fLit
	case sym == 256:
		return fEOB
	case sym < 286:
		return uint32(lenBase[sym-257])<<16 | fLen | uint32(lenExtra[sym-257])<<8
	}
	return 0
}

func reverseBits(c int, n uint) int {
	r := 0
	for range n {
		r = r<<1 | c&1
		c >>= 1
	}
	return r
}
