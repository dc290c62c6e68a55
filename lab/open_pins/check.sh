# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # LAB_ID: qemu/host/lab-build.sh sets it
#
# The check of lab exercise open_pins (lab/open_pins/README.md): with no file
# open, lab_dev holds no reference; an open file of its device holds
# references on it, so delete_module() refuses it; the close gives them back.
# It never unloads lab_dev with a file open: a module unloaded under an open
# file would leave the file pointing at freed code.

# shellcheck source=../../qemu/guest/ktap_helpers.sh
. /demo/ktap_helpers.sh

LAB=$DEMO_DIR/lab/$LAB_ID
MODULES=lab_dev
suite "$LAB_ID"

step device_registered "lab_dev loads and registers its device"
run $BB_INSMOD "$LAB/lab_dev.ko"
same "busybox insmod lab_dev exit status" "$rc" 0
hint "the loader refused lab_dev: its line above says why"
run grep -w lab_dev /proc/devices
major=$(awk '$2 == "lab_dev" { print $1 }' /proc/devices)
expect "/proc/devices lists lab_dev with a major number" [ -n "$major" ]
same "lab_dev refcount with nothing open" "$(refcnt lab_dev)" 0
hint "nothing uses lab_dev yet, and still it holds a reference on itself: take references" \
	"only for what is in use, or it can never be unloaded"
end

step open_file_pins "an open file pins lab_dev"
run mknod /tmp/lab_dev c "${major:-0}" 0
exec 3</tmp/lab_dev
diag "\$ exec 3</tmp/lab_dev   # the shell holds the file open"
same "lab_dev refcount with one file open (cdev_get() and fops_get())" "$(refcnt lab_dev)" 2
if [ "$(refcnt lab_dev)" = 0 ]; then
	hint "the open file holds no reference on lab_dev: the kernel takes them for the module" \
		"that its file operations name (docs/loader.md, 'An open file'); lab_dev was not" \
		"unloaded under it, which would leave the file pointing at freed code"
else
	run $BB_RMMOD lab_dev
	failed_with "with EWOULDBLOCK ('Resource temporarily unavailable')" "Resource temporarily unavailable"
fi
end

step close_then_unload "close, then unload"
exec 3<&-
diag "\$ exec 3<&-   # close it"
same "lab_dev refcount after the close" "$(refcnt lab_dev)" 0
run $BB_RMMOD lab_dev
same "busybox rmmod lab_dev exit status" "$rc" 0
hint "a reference that nobody gives back keeps lab_dev loaded for good"
end

clean_log_and_taint $((TAINT_O | TAINT_E))
