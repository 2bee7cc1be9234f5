(module
  (import "" "swap" (func $swap (param i32 i64 i64 i32) (result i32 i64 i64 i32)))
  (func (export "run") (param i32 i64 i64 i32) (result i32 i64 i64 i32)
    (call $swap (local.get 0) (local.get 1) (local.get 2) (local.get 3))))
