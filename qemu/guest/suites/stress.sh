# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# cpus: 2 with config_smp config_debug_kmemleak
#
# stress: the pair under the debug kernel's bug finders (DEBUG=1: KASAN,
# lockdep, sleep-in-atomic checks, kmemleak) on two CPUs: many load/unload
# cycles in every order, the refused ones included, then loading and unloading
# the user on one CPU while the other reads the device and tries to remove the
# exporter. Bounded in count and time. Any report fails the run (the host's
# verdict reads every kernel line).

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite stress

KMEMLEAK=/sys/kernel/debug/kmemleak
CYCLES=8
SECONDS_CONCURRENT=8
# ... and longer, up to this, until each loop has done its part once: a
# starved TCG CPU (a busy host) can spend the 8 s on one slow load.
SECONDS_CONCURRENT_MAX=60
[ -e $KMEMLEAK ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# On such a kernel the boot has two CPUs (run.sh reads "# cpus:" above);
# step 1 fails if it has not.
debug=""
if feature config_debug_kmemleak && feature config_smp; then debug=1; fi
have() { if feature "$1"; then echo "$2"; else echo "no $2"; fi; }
NEEDS="needs the debug kernel, with SMP and kmemleak (make test DEBUG=1): this one has $(have config_smp SMP), $(have config_debug_kmemleak kmemleak)"

# count WORD: one more WORD in $tally.
count() { tally="$tally $1"; }
tally_of() { echo "$tally" | tr ' ' '\n' | grep -cx "$1"; }

step debug_kernel_with_two_cpus "the debug kernel, on two CPUs"
if [ -z "$debug" ]; then
	skip "$NEEDS"
else
	same "online CPUs (its boot's '# cpus: 2', qemu/host/run.sh)" "$(nproc)" 2
	echo scan >$KMEMLEAK
	echo clear >$KMEMLEAK
	diag "\$ echo scan >$KMEMLEAK; echo clear >$KMEMLEAK   # what is reported so far is not ours"
fi
end

step cycles_in_every_order "load/unload cycles in every order, $CYCLES times"
if [ -z "$debug" ]; then
	skip "$NEEDS"
else
	unload_all
	tally=""
	i=0
	while [ $i -lt $CYCLES ]; do
		i=$((i + 1))
		$MODPROBE $USR && count modprobe
		$MODPROBE -r $USR && count modprobe_r
		$BB_INSMOD "$KO/$USR.ko" 2>/dev/null || count refused_first
		$BB_INSMOD "$KO/$EXP.ko" && count exp_in
		$BB_INSMOD "$KO/$USR.ko" && count usr_in
		[ "$(cat $DEV)" = $USR ] && count listed
		$BB_RMMOD $EXP 2>/dev/null || count refused_holder
		$BB_RMMOD $USR && count usr_out
		$BB_RMMOD $EXP && count exp_out
		$BB_INSMOD "$KO/$EXP.ko" max_clients=0 && count exp_in_full
		$KMOD_INSMOD "$KO/$USR.ko" 2>/dev/null || count refused_init
		$BB_RMMOD $EXP && count exp_out_full
	done
	for what in modprobe modprobe_r refused_first exp_in usr_in listed refused_holder usr_out exp_out \
		exp_in_full refused_init exp_out_full; do
		same "cycles in which '$what' went as expected" "$(tally_of $what)" $CYCLES
	done
	expect "nothing of the pair is loaded" not grep -q "^rust_demo_" /proc/modules
fi
explain "Each cycle: modprobe and modprobe -r; the user alone (refused: Unknown symbol);" \
	"the exporter, then the user, listed by /dev/rust_demo; rmmod of the exporter" \
	"(refused: it has a holder); user" \
	"out, exporter out; the exporter with max_clients=0 and the user (its init fails:" \
	"ENOSPC); exporter out. Every load and unload goes through the registry's mutex, the" \
	"module list and the sysfs files, under KASAN and lockdep."
end

step concurrent_user_and_device "the user loaded and unloaded on one CPU, the device used on the other"
if [ -z "$debug" ]; then
	skip "$NEEDS"
else
	unload_all
	run $BB_INSMOD "$KO/$EXP.ko"
	start=$(uptime_cs)
	rm -f /tmp/stop
	echo 0 >/tmp/cycles
	(
		n=0
		while [ ! -e /tmp/stop ]; do
			$BB_INSMOD "$KO/$USR.ko" 2>/dev/null && $BB_RMMOD $USR && n=$((n + 1)) &&
				echo $n >/tmp/cycles.new && mv /tmp/cycles.new /tmp/cycles
		done
	) &
	loader=$!
	reads=0 refused=0 removed=0
	# Until SECONDS_CONCURRENT have passed and each loop did its part once, or
	# SECONDS_CONCURRENT_MAX have passed (then the assertions below fail).
	while now=$(uptime_cs) && [ "$now" -lt $((start + SECONDS_CONCURRENT_MAX * 100)) ] &&
		{ [ "$now" -lt $((start + SECONDS_CONCURRENT * 100)) ] || [ "$(cat /tmp/cycles)" -lt 1 ] ||
			[ $reads -lt 1 ] || [ $refused -lt 1 ]; }; do
		cat $DEV >/dev/null 2>&1 && reads=$((reads + 1))
		if $BB_RMMOD $EXP 2>/dev/null; then
			# Nothing held it at that instant: put it back for the other CPU.
			removed=$((removed + 1))
			$BB_INSMOD "$KO/$EXP.ko"
		else
			refused=$((refused + 1))
		fi
	done
	touch /tmp/stop
	wait $loader
	cycles=$(cat /tmp/cycles)
	diag "in $(((($(uptime_cs) - start) + 50) / 100)) s: user loaded and unloaded $cycles times; device read $reads times;" \
		"exporter removal refused $refused times, done $removed times (and reloaded)"
	expect "the user was loaded and unloaded at least once" [ "$cycles" -ge 1 ]
	expect "the device was read at least once" [ "$reads" -ge 1 ]
	expect "removing the exporter was refused at least once" [ "$refused" -ge 1 ]
	unload_all
fi
explain "Two loops for $SECONDS_CONCURRENT s or more, one per CPU: one loads and unloads the user" \
	"(register and unregister under the registry's mutex), the other opens and reads" \
	"/dev/rust_demo (which lists the clients under the same mutex) and tries to remove" \
	"the exporter, refused while the user or the open file holds it."
end

step nothing_left_and_no_leak "nothing left, and no leak"
if [ -z "$debug" ]; then
	skip "$NEEDS"
else
	unload_all
	expect "nothing of the pair is loaded" not grep -q "^rust_demo_" /proc/modules
	# kmemleak reports only objects older than 5 s (MSECS_MIN_AGE in
	# mm/kmemleak.c), and kmemleak_scan() holds back an object that is new or
	# changed since the previous scan until the next one: wait, then scan twice.
	ready=$(($(uptime_cs) + 500))
	while [ "$(uptime_cs)" -lt $ready ]; do usleep 100000; done
	echo scan >$KMEMLEAK
	echo scan >$KMEMLEAK
	leaks=$(cat $KMEMLEAK)
	diag "\$ echo scan >$KMEMLEAK; echo scan >$KMEMLEAK; cat $KMEMLEAK   # objects 5 s old"
	[ -z "$leaks" ] || diag "$leaks"
	same "kmemleak's report" "$leaks" ""
fi
explain "kmemleak scanned memory for objects nothing points to any more, at least 5 s old" \
	"and not reported before, whenever they were allocated (step 1's clear only greyed the" \
	"objects already reported then): a module that forgot to free or unregister shows here."
end

clean_log_and_taint $MOD_TAINT
