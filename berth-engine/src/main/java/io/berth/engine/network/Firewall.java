package io.berth.engine.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Berth's iptables rules, all in Berth's own chains: {@code BERTH} (nat: DNAT of published ports),
 * {@code BERTH-POSTROUTING} (nat: masquerade of non-internal subnets), {@code BERTH-FORWARD} and
 * {@code BERTH-ISOLATION-1/2} (filter: isolation between bridges, internal networks). The chains are
 * rewritten as a whole by one {@code iptables-restore --noflush} from the engine's state; no other
 * chain is ever flushed; the jumps from the built-in chains are added at start and removed at stop.
 */
final class Firewall {
    private static final String[][] JUMPS = {
            {"nat", "PREROUTING", "-m addrtype --dst-type LOCAL -j BERTH"},
            {"nat", "OUTPUT", "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j BERTH"},
            {"nat", "POSTROUTING", "-j BERTH-POSTROUTING"},
            {"filter", "FORWARD", "-j BERTH-FORWARD"},
    };
    private static final String[][] CHAINS = {
            {"nat", "BERTH"}, {"nat", "BERTH-POSTROUTING"},
            {"filter", "BERTH-FORWARD"}, {"filter", "BERTH-ISOLATION-1"}, {"filter", "BERTH-ISOLATION-2"},
    };

    private final Supplier<String> finder;
    private String iptables;
    private boolean found;
    private boolean installed;

    /** {@code finder} names the iptables that works here (null: none); it is asked once, at the first need. */
    Firewall(Supplier<String> finder) { this.finder = finder; }

    /**
     * The host's firewall, found when it is first needed (a bridge comes up): finding it runs iptables, and a daemon
     * that runs no bridged container need not spend that on its start.
     */
    static Firewall detect() {
        return new Firewall(Firewall::find);
    }

    private static String find() {
        for (String c : List.of("iptables", "iptables-nft", "iptables-legacy")) {
            try {
                Cmd.Result r = Cmd.exec(List.of(c, "-w", "-t", "nat", "-S", "POSTROUTING"), null);
                if (r.code() == 0) return c;
            } catch (IOException e) {
                // not installed
            }
        }
        return null;
    }

    private synchronized String iptables() {
        if (!found) {
            iptables = finder.get();
            found = true;
        }
        return iptables;
    }

    synchronized boolean available() { return iptables() != null; }

    synchronized boolean installed() { return installed || !available(); }

    /** Creates the chains (empty) and the jumps to them; a previous run's leftovers are cleaned first. */
    synchronized void install() throws IOException {
        if (!available()) return;
        uninstall();
        StringBuilder s = new StringBuilder();
        for (String table : List.of("nat", "filter")) {
            s.append('*').append(table).append('\n');
            for (String[] c : CHAINS) if (c[0].equals(table)) s.append(':').append(c[1]).append(" - [0:0]\n");
            for (String[] j : JUMPS) if (j[0].equals(table)) s.append("-I ").append(j[1]).append(' ').append(j[2]).append('\n');
            s.append("COMMIT\n");
        }
        Cmd.run(List.of(iptables() + "-restore", "-w", "--noflush"), s.toString());
        installed = true;
    }

    /** Removes the jumps and Berth's chains (only Berth's). */
    synchronized void uninstall() throws IOException {
        if (!available()) return;
        for (String[] j : JUMPS) {
            List<String> argv = new ArrayList<>(List.of(iptables(), "-w", "-t", j[0], "-D", j[1]));
            argv.addAll(List.of(j[2].split(" ")));
            for (int i = 0; i < 10 && Cmd.exec(argv, null).code() == 0; i++) { /* remove duplicates too */ }
        }
        for (String[] c : CHAINS) Cmd.exec(List.of(iptables(), "-w", "-t", c[0], "-F", c[1]), null);
        for (String[] c : CHAINS) Cmd.exec(List.of(iptables(), "-w", "-t", c[0], "-X", c[1]), null);
        installed = false;
    }

    /** Rewrites Berth's chains from the networks and the published ports. */
    synchronized void apply(Collection<Network> networks, Collection<PortMapping> ports, java.util.function.Function<String, String> bridgeOfIp)
            throws IOException {
        if (!installed || !available()) return;
        List<Network> bridges = networks.stream().filter(n -> n.isBridge() && n.bridge() != null && !n.bridge().isEmpty()).toList();
        StringBuilder s = new StringBuilder("*nat\n:BERTH - [0:0]\n:BERTH-POSTROUTING - [0:0]\n");
        for (PortMapping p : ports) {
            String br = bridgeOfIp.apply(p.containerIp());
            s.append("-A BERTH");
            if (br != null) s.append(" ! -i ").append(br);
            if (!p.hostIp().isEmpty() && !p.hostIp().equals("0.0.0.0")) s.append(" -d ").append(p.hostIp()).append("/32");
            s.append(" -p ").append(p.proto()).append(" -m ").append(p.proto()).append(" --dport ").append(p.hostPort())
             .append(" -j DNAT --to-destination ").append(p.containerIp()).append(':').append(p.containerPort()).append('\n');
        }
        for (Network n : bridges) {
            if (!n.internal()) {
                s.append("-A BERTH-POSTROUTING -s ").append(n.cidr()).append(" ! -o ").append(n.bridge()).append(" -j MASQUERADE\n");
            }
        }
        s.append("COMMIT\n*filter\n:BERTH-FORWARD - [0:0]\n:BERTH-ISOLATION-1 - [0:0]\n:BERTH-ISOLATION-2 - [0:0]\n");
        s.append("-A BERTH-FORWARD -j BERTH-ISOLATION-1\n");
        for (Network n : bridges) {
            String b = n.bridge();
            s.append("-A BERTH-ISOLATION-1 -i ").append(b).append(" ! -o ").append(b).append(" -j BERTH-ISOLATION-2\n");
            s.append("-A BERTH-ISOLATION-2 -o ").append(b).append(" -j DROP\n");
            if (n.internal()) {
                s.append("-A BERTH-FORWARD -i ").append(b).append(" ! -o ").append(b).append(" -j DROP\n");
                s.append("-A BERTH-FORWARD -o ").append(b).append(" ! -i ").append(b).append(" -j DROP\n");
            } else {
                s.append("-A BERTH-FORWARD -o ").append(b).append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
                s.append("-A BERTH-FORWARD -i ").append(b).append(" -j ACCEPT\n");
            }
        }
        for (PortMapping p : ports) {
            String br = bridgeOfIp.apply(p.containerIp());
            if (br == null) continue;
            s.append("-A BERTH-FORWARD -d ").append(p.containerIp()).append("/32 ! -i ").append(br).append(" -o ").append(br)
             .append(" -p ").append(p.proto()).append(" -m ").append(p.proto()).append(" --dport ").append(p.containerPort())
             .append(" -j ACCEPT\n");
        }
        s.append("COMMIT\n");
        Cmd.run(List.of(iptables() + "-restore", "-w", "--noflush"), s.toString());
    }
}
