/*
 * berth-runtime-ns: runs an OCI runtime in a mount namespace of its own, a copy of the caller's made at that moment,
 * without the cgroup2 mount at /sys/fs/cgroup/unified, and gone when the runtime exits.
 *
 *   berth-runtime-ns /usr/bin/crun [arguments…]
 *
 * crun 1.8 refuses a hybrid cgroup host ("cgroups in hybrid mode not supported, drop all controllers from cgroupv2")
 * when it sees a cgroup2 file system at /sys/fs/cgroup/unified with controllers in it; without that mount it runs on
 * the v1 controllers. berthd puts this launcher before crun (conmon's runtime, and crun's own commands that need it).
 * Every mount of the new namespace is made a slave first, so that the unmount stays in it, and mounts made later on
 * the host's shared mounts still reach the runtime and the containers it makes. No fork: the runtime replaces this
 * process, with the same arguments and environment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define UNIFIED "/sys/fs/cgroup/unified"

static int fail(const char *what, const char *arg) {
    fprintf(stderr, "berth-runtime-ns: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
    return 125;
}

int main(int argc, char **argv) {
    if (argc < 2 || argv[1][0] != '/') {
        fprintf(stderr, "usage: berth-runtime-ns /absolute/path/of/runtime [arguments...]\n");
        return 125;
    }
    if (unshare(CLONE_NEWNS) < 0) return fail("unshare", "CLONE_NEWNS");
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) return fail("making the mounts slaves of", "/");
    if (umount2(UNIFIED, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT) return fail("umount", UNIFIED);
    execv(argv[1], argv + 1);
    return fail("exec", argv[1]);
}
