#!/usr/bin/env bash
# Waits for WATCH_PID to end, then stops PID and removes DIR: a throw-away server started for a
# test run goes with the run.
#
#   scripts/stop-with.sh WATCH_PID PID DIR &
watch=$1 pid=$2 dir=$3
while kill -0 "$watch" 2>/dev/null; do sleep 0.2; done
kill "$pid" 2>/dev/null
while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
rm -rf "$dir"
