package synth

type parent struct{ name, exe string }

// parents[os][0] starts interactive programs, [1] starts services.
var parents = [3][2]parent{
	osWindows: {{"explorer.exe", `C:\\Windows\\explorer.exe`}, {"services.exe", `C:\\Windows\\System32\\services.exe`}},
	osLinux:   {{"bash", "/usr/bin/bash"}, {"systemd", "/usr/lib/systemd/systemd"}},
	osMac:     {{"zsh", "/bin/zsh"}, {"launchd", "/sbin/launchd"}},
}

type actor struct {
	name, domain, home string
	idx                int // users index, -1 for the system account
}

// endpoint writes a process start (55%) or a file change (45%) from an
// endpoint agent, on a workstation (75%) or a server.
func (g *Generator) endpoint() {
	r, wd := &g.r, g.world
	h := &wd.workstation[r.n(len(wd.workstation))]
	if r.pct(25) {
		h = &wd.servers[r.n(len(wd.servers))]
	}
	if r.pct(55) {
		g.processEvent(h)
	} else {
		g.fileEvent(h)
	}
}

// actorFor is who runs p on h: the owner of a workstation, a random admin on
// a server, or the system account for services.
func (g *Generator) actorFor(h *host, interactive bool) actor {
	wd := g.world
	if !interactive {
		if h.os == osWindows {
			return actor{name: "SYSTEM", domain: "NT AUTHORITY", idx: -1}
		}
		return actor{name: "root", idx: -1}
	}
	i := h.owner
	if i < 0 {
		i = g.r.n(len(wd.users))
	}
	u := &wd.users[i]
	a := actor{name: u.name, idx: i}
	switch h.os {
	case osWindows:
		a.domain, a.home = wd.netbios, u.winHome
	case osLinux:
		a.home = u.linuxHome
	case osMac:
		a.home = u.macHome
	}
	return a
}

func (g *Generator) processEvent(h *host) {
	r, wd, w := &g.r, g.world, &g.w
	ps := wd.procs[h.os]
	p := &ps[r.n(len(ps))]
	a := g.actorFor(h, p.user)
	par := parents[h.os][0]
	if !p.user {
		par = parents[h.os][1]
	}
	sysmon := h.os == osWindows && r.pct(40)
	if sysmon {
		g.header(`["process"]`, `["start"]`, "Process Create (rule: ProcessCreate)", "", "windows.sysmon_operational", "windows", 0)
		w.str(kEventCode, "1")
	} else {
		g.header(`["process"]`, `["start"]`, "start", "", "endpoint.events.process", "endpoint", 0)
	}
	pid, ppid := r.between(300, 65000), r.between(4, 20000)
	w.open(kMessage)
	w.s(`Process Create:\nProcessId: `)
	w.d(pid)
	w.s(`\nImage: `)
	w.s(p.exe)
	w.s(`\nCommandLine: `)
	w.s(p.cmdline)
	w.s(`\nUser: `)
	if a.domain != "" {
		w.s(a.domain)
		w.s(`\\`)
	}
	w.s(a.name)
	w.s(`\nParentImage: `)
	w.s(par.exe)
	w.close()

	g.hostFields(h)
	g.userFields(a)
	w.int(kProcPID, pid)
	w.str(kProcName, p.name)
	w.str(kProcExe, p.exe)
	w.raw(kProcArgs, p.args)
	w.int(kProcArgCount, p.argc)
	w.str(kProcCmdline, p.cmdline)
	w.str(kProcHash, p.hash)
	w.int(kParentPID, ppid)
	w.str(kParentName, par.name)
	w.str(kParentExe, par.exe)
	g.relatedUser(a.name)
	if sysmon {
		g.agent(kAgentWinlogbeat, h)
	} else {
		g.agent(kAgentEndpoint, h)
	}
}

var fileActions = []struct{ action, typ, verb string }{
	{"creation", `["creation"]`, "File created: \\\""},
	{"creation", `["creation"]`, "File created: \\\""},
	{"modification", `["change"]`, "File modified: \\\""},
	{"modification", `["change"]`, "File modified: \\\""},
	{"deletion", `["deletion"]`, "File deleted: \\\""},
}

func (g *Generator) fileEvent(h *host) {
	r, wd, w := &g.r, g.world, &g.w
	ps := wd.writers[h.os]
	p := &ps[r.n(len(ps))]
	a := g.actorFor(h, p.user)
	// space tells files of the same name apart for hashing: 0 for system
	// files, 1+user index for files in a user's home.
	docs, home, space := wd.sysDocs[h.os], "", uint64(0)
	if a.idx >= 0 && r.pct(80) {
		docs, home, space = wd.docs[h.os], a.home, 1+uint64(a.idx)
	}
	di := r.n(len(docs))
	d := &docs[di]
	fa := &fileActions[r.n(len(fileActions))]

	g.header(`["file"]`, fa.typ, fa.action, "", "endpoint.events.file", "endpoint", 0)
	w.open(kMessage)
	w.s(fa.verb)
	w.s(home)
	w.s(d.path)
	w.s(`\" by `)
	w.s(p.name)
	w.s(" (")
	if a.domain != "" {
		w.s(a.domain)
		w.s(`\\`)
	}
	w.s(a.name)
	w.s(")")
	w.close()

	g.hostFields(h)
	g.userFields(a)
	w.int(kProcPID, r.between(300, 65000))
	w.str(kProcName, p.name)
	w.str(kProcExe, p.exe)
	w.raw(kProcArgs, p.args)
	w.open(kFilePath)
	w.s(home)
	w.s(d.path)
	w.close()
	w.str(kFileName, d.name)
	if d.ext != "" {
		w.str(kFileExt, d.ext)
	}
	if fa.action != "deletion" {
		// The same file on the same machine keeps its hash until modified.
		version := uint64(0)
		if fa.action == "modification" {
			version = uint64(1 + r.n(6))
		}
		seed := mix(h.seed, space, uint64(di), version)
		w.int(kFileSize, int(seed>>44))
		w.key(kFileHash)
		for i := range uint64(4) {
			w.hex(mix(seed, i), 16)
		}
		w.b = append(w.b, '"')
	}
	g.relatedUser(a.name)
	g.agent(kAgentEndpoint, h)
}

func (g *Generator) hostFields(h *host) {
	w := &g.w
	w.str(kHostName, h.name)
	w.key(kHostIP)
	w.s(`["`)
	w.s(h.ip)
	w.s(`","`)
	w.s(h.ip6)
	w.s(`"]`)
	w.put(kOSType[h.os])
	w.put(kOSName[h.os])
}

func (g *Generator) userFields(a actor) {
	g.w.str(kUserName, a.name)
	if a.domain != "" {
		g.w.str(kUserDomain, a.domain)
	}
}
