(module
  (import "" "fail" (func $fail))
  (func $call-fail (export "call-fail") (call $fail))
  (func $inner unreachable)
  (func (export "nested") (call $inner)))
