;; Execution limits through `wisp run` (see CMakeLists.txt): each export
;; runs into one limit given the right flag, and finishes without it.
(module
  (memory 1)
  ;; Counts down from n: n iterations of a loop (a few instructions each).
  (func (export "spin") (param $n i32) (result i32)
    (loop $l
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
    (local.get $n))
  ;; Grows memory by n pages: the old size in pages, or -1.
  (func (export "grow") (param $n i32) (result i32)
    (memory.grow (local.get $n)))
  ;; Recurses n frames deep.
  (func $rec (export "rec") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get $n) (i32.const 1))))))))
