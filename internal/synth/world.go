package synth

import (
	"fmt"
	"hash/fnv"
	"path"
	"strings"
)

type osKind uint8

const (
	osWindows osKind = iota
	osLinux
	osMac
)

var (
	osTypes = [...]string{"windows", "linux", "macos"}
	osNames = [...]string{"Windows 11 Pro", "Ubuntu", "macOS"}
)

// The world is the fixed cast of one community: people, machines, sites and
// attackers. Events pick from it, so the same host keeps its IP, the same user
// keeps a workstation, and searches over the data find coherent stories.
// Every string in it is already JSON-escaped.
type world struct {
	org, netbios, dns string

	users       []user
	workstation []host
	servers     []host
	linuxSrv    []int // indexes into servers
	winSrv      []int
	dcs         []int
	dnsSrv      []int

	sites     []site
	shady     []site
	attackers []ext
	visitors  []ext // employees' home and travel IPs

	procs   [3][]proc
	writers [3][]proc
	docs    [3][]doc // per OS, relative to a home directory
	sysDocs [3][]doc // per OS, absolute

	firewalls []string
	sensor    host
	agents    []string // user agents
	agentVer  string
}

type user struct {
	name, email, sid string
	winHome          string // C:\\Users\\name
	linuxHome        string
	macHome          string
}

type host struct {
	name, ip, ip6, agentID string
	os                     osKind
	owner                  int    // index into users, -1 for servers
	seed                   uint64 // stable per host, for values that must repeat
}

type site struct{ domain, ip, ip6 string }

type ext struct{ ip, country string }

// doc is a file path split the way ECS wants it, escaped.
type doc struct{ path, name, ext string }

func newDoc(p, sep string) doc {
	name := p[strings.LastIndex(p, sep)+1:]
	e := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		e = strings.ToLower(name[i+1:])
	}
	return doc{path: escape(p), name: escape(name), ext: escape(e)}
}

type proc struct {
	name, exe, args, cmdline, hash string
	argc                           int
	user                           bool
}

func newWorld(seed int64, community string) *world {
	h := fnv.New64a()
	h.Write([]byte(community))
	r := &rng{s: mix(uint64(seed), h.Sum64())}
	sl := slug(community)
	w := &world{
		org:      escape(community),
		netbios:  strings.ToUpper(strings.ReplaceAll(sl, "-", "")),
		dns:      sl + ".example",
		agentVer: pick(r, []string{"8.15.3", "8.17.0", "9.0.1"}),
	}
	if len(w.netbios) > 15 {
		w.netbios = w.netbios[:15]
	}

	nUsers := 180
	for i := range nUsers {
		var name string
		if i < len(serviceAccounts) {
			name = serviceAccounts[i]
		} else {
			name = pick(r, firstNames) + "." + pick(r, lastNames)
		}
		w.users = append(w.users, user{
			name:      escape(name),
			email:     escape(strings.ReplaceAll(name, "'", "") + "@" + w.dns),
			sid:       fmt.Sprintf("S-1-5-21-%d-%d-%d-%d", 1000000000+r.n(1<<30), 1000000000+r.n(1<<30), 1000000000+r.n(1<<30), 1104+i),
			winHome:   escape(`C:\Users\` + name),
			linuxHome: escape("/home/" + name),
			macHome:   escape("/Users/" + name),
		})
	}

	// Workstations sit in 10.x (wired Windows/Linux) and 192.168.x (Mac Wi-Fi);
	// servers in 172.16-31.x, as most corporate address plans do.
	wired, wifi, srv := 1+r.n(254), r.n(255), 16+r.n(16)
	prefix6 := fmt.Sprintf("fd%02x:%x:%x", r.n(256), 1+r.n(0xffff), 1+r.n(0xffff))
	for i := range 150 {
		o, ip := osWindows, fmt.Sprintf("10.%d.%d.%d", wired, 10+i/200, 10+i%200)
		name := fmt.Sprintf("%s-ws-%04d", sl, 100+i)
		switch {
		case i%10 == 7 || i%10 == 8:
			o, ip, name = osMac, fmt.Sprintf("192.168.%d.%d", wifi, 20+i), fmt.Sprintf("%s-mbp-%03d", sl, i)
		case i%10 == 9:
			o, name = osLinux, fmt.Sprintf("%s-lx-%03d", sl, i)
		}
		w.workstation = append(w.workstation, host{
			name: escape(name), ip: ip, os: o, owner: nUsers - 1 - i%(nUsers-len(serviceAccounts)),
			ip6:     fmt.Sprintf("%s:%x::%x", prefix6, 10+i/50, 0x100+i),
			agentID: uuid(r), seed: r.u64(),
		})
	}
	servers := []struct {
		name string
		os   osKind
	}{
		{"dc01", osWindows}, {"dc02", osWindows}, {"files01", osWindows}, {"sql01", osWindows}, {"exch01", osWindows},
		{"web01", osLinux}, {"web02", osLinux}, {"web03", osLinux}, {"bastion01", osLinux}, {"jenkins01", osLinux},
		{"k8s-node-01", osLinux}, {"k8s-node-02", osLinux}, {"k8s-node-03", osLinux}, {"backup01", osLinux}, {"ns01", osLinux},
	}
	for i, s := range servers {
		w.servers = append(w.servers, host{
			name: escape(sl + "-" + s.name), ip: fmt.Sprintf("172.%d.%d.%d", srv, 1+i/5, 10+i), os: s.os, owner: -1,
			ip6:     fmt.Sprintf("%s:1::%x", prefix6, 0x10+i),
			agentID: uuid(r), seed: r.u64(),
		})
		switch {
		case s.os == osLinux:
			w.linuxSrv = append(w.linuxSrv, i)
		default:
			w.winSrv = append(w.winSrv, i)
		}
		if strings.HasPrefix(s.name, "dc") {
			w.dcs = append(w.dcs, i)
			w.dnsSrv = append(w.dnsSrv, i)
		}
	}

	for _, d := range benignDomains {
		w.sites = append(w.sites, site{domain: escape(d), ip: publicIPv4(r), ip6: maybeIPv6(r)})
	}
	for _, d := range shadyDomains {
		w.shady = append(w.shady, site{domain: escape(d), ip: publicIPv4(r), ip6: maybeIPv6(r)})
	}
	for range 60 {
		w.attackers = append(w.attackers, ext{ip: publicIPv4(r), country: pick(r, countries)})
	}
	for range 40 {
		w.visitors = append(w.visitors, ext{ip: publicIPv4(r), country: pick(r, countries[:8])})
	}

	for _, c := range commands {
		w.procs[c.os] = append(w.procs[c.os], newProc(r, c))
	}
	for o, cs := range fileWriters {
		for _, c := range cs {
			w.writers[o] = append(w.writers[o], newProc(r, c))
		}
	}
	for i, d := range windowsDocs {
		w.docs[osWindows] = append(w.docs[osWindows], newDoc(`\`+windowsDocDirs[i%len(windowsDocDirs)]+`\`+d, `\`))
	}
	for _, f := range windowsSystemFiles {
		w.sysDocs[osWindows] = append(w.sysDocs[osWindows], newDoc(f, `\`))
	}
	for _, f := range linuxHomeFiles {
		w.docs[osLinux] = append(w.docs[osLinux], newDoc("/"+f, "/"))
	}
	for _, f := range linuxFiles {
		w.sysDocs[osLinux] = append(w.sysDocs[osLinux], newDoc(f, "/"))
	}
	for _, f := range macHomeFiles {
		w.docs[osMac] = append(w.docs[osMac], newDoc("/"+f, "/"))
	}
	for _, f := range macSystemFiles {
		w.sysDocs[osMac] = append(w.sysDocs[osMac], newDoc(f, "/"))
	}
	for _, ua := range userAgents {
		w.agents = append(w.agents, escape(ua))
	}
	w.sensor = host{name: sl + "-sensor-01", ip: fmt.Sprintf("172.%d.0.5", srv), os: osLinux, owner: -1, agentID: uuid(r)}
	for i := range 3 {
		w.firewalls = append(w.firewalls, fmt.Sprintf("%s-fw-%02d", sl, i+1))
	}
	return w
}

func newProc(r *rng, c cmdSpec) proc {
	var args, line strings.Builder
	args.WriteByte('[')
	for i, a := range c.args {
		if i > 0 {
			args.WriteByte(',')
			line.WriteByte(' ')
		}
		args.WriteString(`"` + escape(a) + `"`)
		if strings.ContainsAny(a, " \t") && !strings.HasPrefix(a, `"`) {
			a = `"` + a + `"`
		}
		line.WriteString(a)
	}
	args.WriteByte(']')
	name := c.exe
	if c.os == osWindows {
		name = name[strings.LastIndexByte(name, '\\')+1:]
	} else {
		name = path.Base(name)
	}
	return proc{
		name: escape(name), exe: escape(c.exe), args: args.String(), cmdline: escape(line.String()),
		hash: fmt.Sprintf("%016x%016x%016x%016x", r.u64(), r.u64(), r.u64(), r.u64()), argc: len(c.args), user: c.user,
	}
}

// slug makes a community name usable in host and domain names.
func slug(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
		if b.Len() >= 12 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return "corp"
	}
	return out
}

func uuid(r *rng) string {
	a, b := r.u64(), r.u64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff, 0x8000|b>>48&0x3fff, b&0xffffffffffff)
}

// publicIPv4 draws a globally routable address: it skips private, shared,
// loopback, link-local, documentation, multicast and reserved space, so
// "public" in the data means public.
func publicIPv4(r *rng) string {
	for {
		a, b := 1+r.n(223), r.n(256)
		switch {
		case a == 10, a == 127, a == 0,
			a == 100 && b >= 64 && b < 128,
			a == 169 && b == 254,
			a == 172 && b >= 16 && b < 32,
			a == 192 && (b == 168 || b == 0),
			a == 198 && (b == 18 || b == 19 || b == 51),
			a == 203 && b == 0:
			continue
		}
		return fmt.Sprintf("%d.%d.%d.%d", a, b, r.n(256), 1+r.n(254))
	}
}

// maybeIPv6 gives about a third of sites a global unicast IPv6 address in
// RFC 5952 canonical form (four non-zero hextets, "::", one non-zero hextet).
func maybeIPv6(r *rng) string {
	if r.n(3) != 0 {
		return ""
	}
	return fmt.Sprintf("%s:%x:%x:%x::%x", pick(r, []string{"2a00", "2606", "2001", "2a03", "2620"}),
		1+r.n(0xffff), 1+r.n(0xffff), 1+r.n(0xffff), 1+r.n(0xffff))
}
