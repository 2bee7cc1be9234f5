;; The component bench_component.cpp measures (binary: abi.component.wasm,
;; made by `jco parse`; jco_command_test.sh checks the two agree). One core
;; module, lifted twice:
;;   add: func(a: s32, b: s32) -> s32       numbers only, flat
;;   describe: func(p: person) -> string    a record with strings and a list
;;     in, a string out: lowered into memory through realloc, lifted back,
;;     post-return resets the bump allocator.
;; The same core module alone is the "core" side of the cold-start pair.
(component
  (core module $m
    (memory (export "mem") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p))
    (func (export "reset") (param i32) (global.set $bump (i32.const 1024)))
    ;; describe(name.ptr, name.len, age, email.is_some, email.ptr, email.len,
    ;;          tags.ptr, tags.len) -> pointer to (ptr, len): the email if
    ;; given, else the name.
    (func (export "describe") (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
      (if (local.get 3)
        (then (i32.store (i32.const 512) (local.get 4)) (i32.store (i32.const 516) (local.get 5)))
        (else (i32.store (i32.const 512) (local.get 0)) (i32.store (i32.const 516) (local.get 1))))
      (i32.const 512)))
  (core instance $i (instantiate $m))
  (type $person (record (field "name" string) (field "age" u32) (field "email" (option string))
                        (field "tags" (list string))))
  (export $p "person" (type $person))
  (func (export "add") (param "a" s32) (param "b" s32) (result s32)
    (canon lift (core func $i "add")))
  (func (export "describe") (param "p" $p) (result string)
    (canon lift (core func $i "describe") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))
      (post-return (core func $i "reset"))))
)
