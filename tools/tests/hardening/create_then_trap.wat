;; Opens its preopen (fd 3) again as "." (fd 4), closes fd 3, creates "out"
;; through fd 4, writes nothing to it, then traps. With wisp started with
;; stderr closed, the preopen used to take host fd 2; closing it freed
;; that number for "out", and wisp's own trap message landed in the guest's
;; file. Whatever wisp prints must never end up in "out".
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) ".")
  (data (i32.const 8) "out")
  (func (export "_start")
    ;; "." as a directory, with path_open and path_create_file, passing on fd_write
    (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 1)
                         (i32.const 2) (i64.const 9216) (i64.const 64) (i32.const 0)
                         (i32.const 16))
      (then (return)))
    (drop (call $fd_close (i32.const 3)))
    ;; "out", created, with fd_write
    (if (call $path_open (i32.load (i32.const 16)) (i32.const 0) (i32.const 8) (i32.const 3)
                         (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0)
                         (i32.const 20))
      (then (return)))
    unreachable))
