;; Four pages at instantiation: more than --max-memory 65536 allows.
(module (memory 4) (func (export "f") (result i32) (memory.size)))
