/*
 * berth-runtime-ns: runs an OCI runtime in a mount namespace of its own, a copy of the caller's made at that moment,
 * with the cgroup2 mount at /sys/fs/cgroup/unified covered and the runtime's binary read-only, gone when the runtime
 * exits.
 *
 *   berth-runtime-ns [--keep=PATH]... [--drop=DIR]... /usr/bin/crun [arguments…]
 *
 * crun 1.8 refuses a hybrid cgroup host ("cgroups in hybrid mode not supported, drop all controllers from cgroupv2")
 * when it sees a cgroup2 file system at /sys/fs/cgroup/unified with controllers in it; without that mount it runs on
 * the v1 controllers. berthd puts this launcher before crun (conmon's runtime, and crun's own commands that need it).
 * Every mount of the new namespace is made a slave first, so that what is mounted here stays in it, and mounts made
 * later on the host's shared mounts still reach the runtime and the containers it makes. No fork: the runtime
 * replaces this process, with the same arguments and environment.
 *
 * The cgroup2 mount is covered with an empty tmpfs of this namespace rather than unmounted. crun asks what file system
 * is there (not cgroup2: v1 only), then still makes its container's directory under it and writes its pid there: in
 * the tmpfs, thrown away with the namespace. Under an unmounted cgroup2 those directories went to the host's
 * /sys/fs/cgroup tmpfs, hidden beneath the host's cgroup2 mount, and stayed there. An unmount also waits for an RCU
 * grace period (milliseconds on a busy host), where a mount does not.
 *
 * The runtime's binary is bind-mounted read-only over itself. crun (like runc) guards against CVE-2019-5736 (a
 * container overwriting the runtime through /proc/<pid>/exe) by copying its binary and executing the copy at every
 * call, unless the binary is on a read-only mount, which it checks with fstatfs: the bind gives that guarantee (the
 * container cannot open the file for writing, nor reach this namespace's mount to make it writable), and spares crun
 * a copy, a bind mount of its own, an unmount and a second exec with its dynamic loading each time.
 *
 * --drop and --keep leave the runtime only the container mounts it needs. berthd keeps every container's root file
 * system and network namespace file under two directories that are mount points of their own (--drop), so with a
 * thousand containers the namespace holds two thousand mounts, and crun pays for each one several times per create:
 * it copies the table again for the container, reads all of /proc/mounts (its SELinux probe), and detaches the lot
 * at its pivot_root (30 ms of a create at 1000 containers). The launcher clones the mounts the runtime needs
 * (--keep: this container's root file system and network namespace file), detaches each --drop directory with
 * everything under it, in one call, and puts the clones back at the same paths (the directories beneath are the
 * same). A --keep path that does not exist is left out; where the kernel cannot clone a mount (before 5.2), nothing
 * is dropped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define MAX_PATHS 16

#define UNIFIED "/sys/fs/cgroup/unified"

static int fail(const char *what, const char *arg) {
    fprintf(stderr, "berth-runtime-ns: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
    return 125;
}

/* The mounts under each drop directory go, the keep paths' mounts stay: see the header. */
static int drop_mounts(const char **keep, int keeps, const char **drop, int drops) {
    int fds[MAX_PATHS];
    for (int i = 0; i < keeps; i++) {
        fds[i] = open_tree(AT_FDCWD, keep[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
        if (fds[i] >= 0 || errno == ENOENT) continue;
        while (i-- > 0) if (fds[i] >= 0) close(fds[i]);
        return 0; /* cannot clone here: keep everything */
    }
    for (int i = 0; i < drops; i++)
        if (umount2(drop[i], MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT) return fail("detaching", drop[i]);
    for (int i = 0; i < keeps; i++) {
        if (fds[i] < 0) continue;
        if (move_mount(fds[i], "", AT_FDCWD, keep[i], MOVE_MOUNT_F_EMPTY_PATH) < 0) return fail("putting back", keep[i]);
        close(fds[i]);
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *keep[MAX_PATHS], *drop[MAX_PATHS];
    int keeps = 0, drops = 0, a = 1;
    for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
        if (strncmp(argv[a], "--keep=/", 8) == 0 && keeps < MAX_PATHS) keep[keeps++] = argv[a] + 7;
        else if (strncmp(argv[a], "--drop=/", 8) == 0 && drops < MAX_PATHS) drop[drops++] = argv[a] + 7;
        else break;
    }
    if (a >= argc || argv[a][0] != '/') {
        fprintf(stderr, "usage: berth-runtime-ns [--keep=/PATH]... [--drop=/DIR]... /absolute/path/of/runtime [arguments...]"
                        " (at most %d of each)\n", MAX_PATHS);
        return 125;
    }
    const char *runtime = argv[a];
    if (unshare(CLONE_NEWNS) < 0) return fail("unshare", "CLONE_NEWNS");
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) return fail("making the mounts slaves of", "/");
    if (drops > 0 && drop_mounts(keep, keeps, drop, drops) != 0) return 125;
    if (mount("berth-runtime-ns", UNIFIED, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=0755") < 0
            && errno != ENOENT)
        return fail("covering", UNIFIED);
    if (mount(runtime, runtime, NULL, MS_BIND, NULL) < 0) return fail("bind-mounting", runtime);
    if (mount(NULL, runtime, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0) return fail("making read-only", runtime);
    execv(runtime, argv + a);
    return fail("exec", runtime);
}
