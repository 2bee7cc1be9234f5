;; One relative clock subscription with timeout 2^64-1 ns and no descriptors:
;; poll_oneoff must block (until a signal), as node does. It crashed wisp
;; (a null timespec dereferenced) before. With "nonblock" as argument, it
;; first sets O_NONBLOCK on stdin, so a test can see that a signal puts the
;; flag back.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags"
    (func $set_flags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    ;; with any argument: stdin non-blocking first (FDFLAGS_NONBLOCK = 4)
    (drop (call $args_sizes_get (i32.const 200) (i32.const 204)))
    (if (i32.gt_u (i32.load (i32.const 200)) (i32.const 1))
      (then (drop (call $set_flags (i32.const 0) (i32.const 4)))))
    ;; subscription at 0: userdata 7, tag 0 (clock), clock id 1 (monotonic),
    ;; timeout u64::MAX, precision 0, flags 0 (relative)
    (i64.store (i32.const 0) (i64.const 7))
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const -1))
    (i64.store (i32.const 32) (i64.const 0))
    (i32.store16 (i32.const 40) (i32.const 0))
    (drop (call $poll_oneoff (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))
    unreachable))
