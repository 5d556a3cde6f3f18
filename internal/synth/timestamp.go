package synth

const msPerDay = 86_400_000

// stamp formats @timestamp without time.Time.Format, which dominates the
// cost of an event otherwise. Events arrive in time order, so the date part
// is cached per day.
type stamp struct {
	day  int64
	date [11]byte // "2006-01-02T"
}

type tsStyle uint8

const (
	tsUTC    tsStyle = iota // "2026-01-01T12:00:00.000Z"
	tsOffset                // "2026-01-01T14:00:00.000+02:00", same instant
	tsEpoch                 // 1767268800000
)

func (st *stamp) write(w *writer, k *key, ms int64, style tsStyle) {
	w.key(k)
	if style == tsEpoch {
		w.d(int(ms))
		return
	}
	local := ms
	if style == tsOffset {
		local += 2 * 3_600_000
	}
	day, rem := floorDiv(local, msPerDay)
	w.b = append(w.b, '"')
	if style == tsUTC {
		if day != st.day || st.date[0] == 0 {
			st.day = day
			civilDate(st.date[:], day)
		}
		w.b = append(w.b, st.date[:]...)
	} else {
		var d [11]byte
		civilDate(d[:], day)
		w.b = append(w.b, d[:]...)
	}
	h, rem := rem/3_600_000, rem%3_600_000
	m, rem := rem/60_000, rem%60_000
	s, milli := rem/1000, rem%1000
	w.b = append(w.b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':',
		byte('0'+s/10), byte('0'+s%10), '.', byte('0'+milli/100), byte('0'+milli/10%10), byte('0'+milli%10))
	if style == tsOffset {
		w.b = append(w.b, "+02:00\""...)
	} else {
		w.b = append(w.b, "Z\""...)
	}
}

func floorDiv(a, b int64) (int64, int64) {
	q, r := a/b, a%b
	if r < 0 {
		q--
		r += b
	}
	return q, r
}

// civilDate writes "YYYY-MM-DDT" for days since 1970-01-01 (Howard Hinnant's
// days_from_civil inverse; years 0..9999 only, which is all we generate).
func civilDate(dst []byte, days int64) {
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	dst[0], dst[1], dst[2], dst[3] = byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	dst[4] = '-'
	dst[5], dst[6] = byte('0'+m/10), byte('0'+m%10)
	dst[7] = '-'
	dst[8], dst[9] = byte('0'+d/10), byte('0'+d%10)
	dst[10] = 'T'
}
