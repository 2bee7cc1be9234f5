;; Resources both ways, for tests/instance_test.cpp (which reads the binary,
;; resources.component.wasm, made from this file by `jco parse`; the CTest
;; component/jco_wasi_command checks that they agree).
;;
;; `counter` is a resource of this component: make(x) creates one with rep
;; x and returns it owned; peek(c) gets a borrowed one (as its rep: this
;; component implements it); check() makes one, reads it back and drops it.
;; `stream` is the host's (an imported instance "host:io/streams"): pipe()
;; opens one, writes 2 and 40 through it and drops it, returning the last
;; write's result; poke(s, drop) writes 1 through a borrowed one and drops
;; the borrow only if asked (not dropping it is a trap at return).
(component
  (type $counter (resource (rep i32)))
  (core func $new (canon resource.new $counter))
  (core func $rep (canon resource.rep $counter))
  (core func $drop (canon resource.drop $counter))
  (import "host:io/streams" (instance $streams
    (export "stream" (type (sub resource)))
    (export "open" (func (result (own 0))))
    (type $b (borrow 0))
    (export "[method]stream.write" (func (param "self" $b) (param "x" u32) (result u32)))))
  (alias export $streams "stream" (type $stream))
  (alias export $streams "open" (func $open))
  (alias export $streams "[method]stream.write" (func $write))
  (core func $open_lowered (canon lower (func $open)))
  (core func $write_lowered (canon lower (func $write)))
  (core func $stream_drop (canon resource.drop $stream))
  (core module $m
    (import "r" "new" (func $new (param i32) (result i32)))
    (import "r" "rep" (func $rep (param i32) (result i32)))
    (import "r" "drop" (func $drop (param i32)))
    (import "s" "open" (func $open (result i32)))
    (import "s" "write" (func $write (param i32 i32) (result i32)))
    (import "s" "drop" (func $sdrop (param i32)))
    (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "peek") (param i32) (result i32) (local.get 0))
    (func (export "check") (result i32) (local $h i32) (local $v i32)
      (local.set $h (call $new (i32.const 9)))
      (local.set $v (call $rep (local.get $h)))
      (call $drop (local.get $h))
      (local.get $v))
    (func (export "pipe") (result i32) (local $s i32) (local $r i32)
      (local.set $s (call $open))
      (drop (call $write (local.get $s) (i32.const 2)))
      (local.set $r (call $write (local.get $s) (i32.const 40)))
      (call $sdrop (local.get $s))
      (local.get $r))
    (func (export "poke") (param i32 i32) (result i32) (local $r i32)
      (local.set $r (call $write (local.get 0) (i32.const 1)))
      (if (local.get 1) (then (call $sdrop (local.get 0))))
      (local.get $r)))
  (core instance $i (instantiate $m
    (with "r" (instance (export "new" (func $new)) (export "rep" (func $rep)) (export "drop" (func $drop))))
    (with "s" (instance (export "open" (func $open_lowered)) (export "write" (func $write_lowered))
                        (export "drop" (func $stream_drop))))))
  (type $own (own $counter))
  (type $borrow (borrow $counter))
  (func (export "make") (param "x" u32) (result $own) (canon lift (core func $i "make")))
  (func (export "peek") (param "c" $borrow) (result u32) (canon lift (core func $i "peek")))
  (func (export "check") (result u32) (canon lift (core func $i "check")))
  (func (export "pipe") (result u32) (canon lift (core func $i "pipe")))
  (type $stream_borrow (borrow $stream))
  (func (export "poke") (param "s" $stream_borrow) (param "drop" bool) (result u32)
    (canon lift (core func $i "poke")))
)
