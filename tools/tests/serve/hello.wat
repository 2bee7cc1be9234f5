;; A wasi:http handler written by hand, for `wisp serve`'s tests and
;; benchmarks (made binary by `jco parse`). By path:
;;   /trap   traps (unreachable)
;;   /loop   never returns (the server's deadline must cut it off)
;;   /teapot answers 418
;;   /echo   streams the request body back, 4 KiB at a time through a
;;           64 KiB memory (bodies far larger than the memory go through)
;;   /count  changes every kind of state an instance has (a global, memory,
;;           its size, a table's size, a passive segment) and answers what
;;           it found, and the request's handle: "count 1 1 1 1 1!" in a
;;           fresh instance, and in every request when none of it is
;;           carried over to the next
;;   else    answers 200 "hello from wat\n" with the header `x-wat: yes`
(component
  (import "wasi:io/error@0.2.0" (instance $io-error (export "error" (type (sub resource)))))
  (alias export $io-error "error" (type $error))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (export "output-stream" (type (sub resource)))                            ;; 0
    (alias outer 1 $error (type (;1;)))
    (export "error" (type (eq 1)))                                            ;; 2
    (type (;3;) (own 2))
    (type (;4;) (variant (case "last-operation-failed" 3) (case "closed")))
    (export "stream-error" (type (eq 4)))                                     ;; 5
    (type (;6;) (borrow 0))
    (type (;7;) (list u8))
    (type (;8;) (result (error 5)))
    (type (;9;) (func (param "self" 6) (param "contents" 7) (result 8)))
    (export "[method]output-stream.blocking-write-and-flush" (func (type 9)))
    (export "input-stream" (type (sub resource)))                             ;; 10
    (type (;11;) (borrow 10))
    (type (;12;) (result 7 (error 5)))
    (type (;13;) (func (param "self" 11) (param "len" u64) (result 12)))
    (export "[method]input-stream.blocking-read" (func (type 13)))))
  (alias export $streams "output-stream" (type $output-stream))
  (alias export $streams "input-stream" (type $input-stream))
  (import "wasi:http/types@0.2.0" (instance $types
    (export "fields" (type (sub resource)))                                   ;; 0
    (export "incoming-request" (type (sub resource)))                         ;; 1
    (export "outgoing-body" (type (sub resource)))                            ;; 2
    (export "response-outparam" (type (sub resource)))                        ;; 3
    (export "outgoing-response" (type (sub resource)))                        ;; 4
    (alias outer 1 $output-stream (type (;5;)))
    (export "output-stream" (type (eq 5)))                                    ;; 6
    (type (;7;) (option string))
    (type (;8;) (option u16))
    (type (;9;) (record (field "rcode" 7) (field "info-code" 8)))
    (export "DNS-error-payload" (type (eq 9)))                                ;; 10
    (type (;11;) (option u8))
    (type (;12;) (record (field "alert-id" 11) (field "alert-message" 7)))
    (export "TLS-alert-received-payload" (type (eq 12)))                      ;; 13
    (type (;14;) (option u32))
    (type (;15;) (record (field "field-name" 7) (field "field-size" 14)))
    (export "field-size-payload" (type (eq 15)))                              ;; 16
    (type (;17;) (option u64))
    (type (;18;) (option 16))
    (type (;19;) (variant (case "DNS-timeout") (case "DNS-error" 10) (case "destination-not-found")
      (case "destination-unavailable") (case "destination-IP-prohibited") (case "destination-IP-unroutable")
      (case "connection-refused") (case "connection-terminated") (case "connection-timeout")
      (case "connection-read-timeout") (case "connection-write-timeout") (case "connection-limit-reached")
      (case "TLS-protocol-error") (case "TLS-certificate-error") (case "TLS-alert-received" 13)
      (case "HTTP-request-denied") (case "HTTP-request-length-required") (case "HTTP-request-body-size" 17)
      (case "HTTP-request-method-invalid") (case "HTTP-request-URI-invalid") (case "HTTP-request-URI-too-long")
      (case "HTTP-request-header-section-size" 14) (case "HTTP-request-header-size" 18)
      (case "HTTP-request-trailer-section-size" 14) (case "HTTP-request-trailer-size" 16)
      (case "HTTP-response-incomplete") (case "HTTP-response-header-section-size" 14)
      (case "HTTP-response-header-size" 16) (case "HTTP-response-body-size" 17)
      (case "HTTP-response-trailer-section-size" 14) (case "HTTP-response-trailer-size" 16)
      (case "HTTP-response-transfer-coding" 7) (case "HTTP-response-content-coding" 7)
      (case "HTTP-response-timeout") (case "HTTP-upgrade-failed") (case "HTTP-protocol-error")
      (case "loop-detected") (case "configuration-error") (case "internal-error" 7)))
    (export "error-code" (type (eq 19)))                                      ;; 20
    (type (;21;) (variant (case "invalid-syntax") (case "forbidden") (case "immutable")))
    (export "header-error" (type (eq 21)))                                    ;; 22
    (type (;23;) (own 0))
    (type (;24;) (func (result 23)))
    (export "[constructor]fields" (func (type 24)))
    (type (;25;) (borrow 0))
    (type (;26;) (list u8))
    (type (;27;) (result (error 22)))
    (type (;28;) (func (param "self" 25) (param "name" string) (param "value" 26) (result 27)))
    (export "[method]fields.append" (func (type 28)))
    (type (;29;) (borrow 1))
    (type (;30;) (func (param "self" 29) (result 7)))
    (export "[method]incoming-request.path-with-query" (func (type 30)))
    (type (;31;) (own 4))
    (type (;32;) (func (param "headers" 23) (result 31)))
    (export "[constructor]outgoing-response" (func (type 32)))
    (type (;33;) (borrow 4))
    (type (;34;) (result))
    (type (;35;) (func (param "self" 33) (param "status-code" u16) (result 34)))
    (export "[method]outgoing-response.set-status-code" (func (type 35)))
    (type (;36;) (own 2))
    (type (;37;) (result 36))
    (type (;38;) (func (param "self" 33) (result 37)))
    (export "[method]outgoing-response.body" (func (type 38)))
    (type (;39;) (borrow 2))
    (type (;40;) (own 6))
    (type (;41;) (result 40))
    (type (;42;) (func (param "self" 39) (result 41)))
    (export "[method]outgoing-body.write" (func (type 42)))
    (type (;43;) (option 23))
    (type (;44;) (result (error 20)))
    (type (;45;) (func (param "this" 36) (param "trailers" 43) (result 44)))
    (export "[static]outgoing-body.finish" (func (type 45)))
    (type (;46;) (own 3))
    (type (;47;) (result 31 (error 20)))
    (type (;48;) (func (param "param" 46) (param "response" 47)))
    (export "[static]response-outparam.set" (func (type 48)))
    (export "incoming-body" (type (sub resource)))                            ;; 49
    (alias outer 1 $input-stream (type (;50;)))
    (export "input-stream" (type (eq 50)))                                    ;; 51
    (type (;52;) (own 49))
    (type (;53;) (result 52))
    (type (;54;) (func (param "self" 29) (result 53)))
    (export "[method]incoming-request.consume" (func (type 54)))
    (type (;55;) (borrow 49))
    (type (;56;) (own 51))
    (type (;57;) (result 56))
    (type (;58;) (func (param "self" 55) (result 57)))
    (export "[method]incoming-body.stream" (func (type 58)))))
  (alias export $types "incoming-request" (type $incoming-request))
  (alias export $types "response-outparam" (type $response-outparam))
  (alias export $types "[constructor]fields" (func $fields-new))
  (alias export $types "[method]fields.append" (func $fields-append))
  (alias export $types "[method]incoming-request.path-with-query" (func $path))
  (alias export $types "[constructor]outgoing-response" (func $response-new))
  (alias export $types "[method]outgoing-response.set-status-code" (func $set-status))
  (alias export $types "[method]outgoing-response.body" (func $response-body))
  (alias export $types "[method]outgoing-body.write" (func $body-write))
  (alias export $types "[static]outgoing-body.finish" (func $body-finish))
  (alias export $types "[static]response-outparam.set" (func $outparam-set))
  (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))
  (alias export $streams "[method]input-stream.blocking-read" (func $read))
  (alias export $types "[method]incoming-request.consume" (func $consume))
  (alias export $types "[method]incoming-body.stream" (func $body-stream))
  (alias export $types "incoming-body" (type $incoming-body))

  (core module $mem
    (memory (export "memory") 1)
    ;; Every block the host asks for (a path, a 4 KiB chunk) is used before
    ;; the next is asked for: one scratch buffer at 16384 serves them all.
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (if (i32.gt_u (local.get 3) (i32.const 16384)) (then unreachable))
      (i32.const 16384)))
  (core instance $m (instantiate $mem))
  (alias core export $m "memory" (core memory $memory))
  (alias core export $m "realloc" (core func $realloc))
  (core func $c-fields-new (canon lower (func $fields-new)))
  (core func $c-fields-append (canon lower (func $fields-append) (memory $memory)))
  (core func $c-path (canon lower (func $path) (memory $memory) (realloc $realloc)))
  (core func $c-response-new (canon lower (func $response-new)))
  (core func $c-set-status (canon lower (func $set-status)))
  (core func $c-response-body (canon lower (func $response-body) (memory $memory)))
  (core func $c-body-write (canon lower (func $body-write) (memory $memory)))
  (core func $c-body-finish (canon lower (func $body-finish) (memory $memory) (realloc $realloc)))
  (core func $c-outparam-set (canon lower (func $outparam-set) (memory $memory)))
  (core func $c-write (canon lower (func $write) (memory $memory)))
  (core func $c-stream-drop (canon resource.drop $output-stream))
  (core func $c-request-drop (canon resource.drop $incoming-request))
  (core func $c-read (canon lower (func $read) (memory $memory) (realloc $realloc)))
  (core func $c-consume (canon lower (func $consume) (memory $memory)))
  (core func $c-body-stream (canon lower (func $body-stream) (memory $memory)))
  (core func $c-input-drop (canon resource.drop $input-stream))
  (core func $c-body-drop (canon resource.drop $incoming-body))
  (core module $handler
    (import "m" "memory" (memory 1))
    (import "h" "fields-new" (func $fields-new (result i32)))
    (import "h" "fields-append" (func $fields-append (param i32 i32 i32 i32 i32 i32)))
    (import "h" "path" (func $path (param i32 i32)))
    (import "h" "response-new" (func $response-new (param i32) (result i32)))
    (import "h" "set-status" (func $set-status (param i32 i32) (result i32)))
    (import "h" "response-body" (func $response-body (param i32 i32)))
    (import "h" "body-write" (func $body-write (param i32 i32)))
    (import "h" "body-finish" (func $body-finish (param i32 i32 i32 i32)))
    (import "h" "outparam-set" (func $outparam-set (param i32 i32 i32 i32 i64 i32 i32 i32 i32)))
    (import "h" "write" (func $write (param i32 i32 i32 i32)))
    (import "h" "stream-drop" (func $stream-drop (param i32)))
    (import "h" "request-drop" (func $request-drop (param i32)))
    (import "h" "read" (func $read (param i32 i64 i32)))
    (import "h" "consume" (func $consume (param i32 i32)))
    (import "h" "body-stream" (func $body-stream (param i32 i32)))
    (import "h" "input-drop" (func $input-drop (param i32)))
    (import "h" "body-drop" (func $body-drop (param i32)))
    (data (i32.const 16) "x-wat")
    (data (i32.const 32) "yes")
    (data (i32.const 48) "hello from wat\n")
    (data (i32.const 64) "count 0 0 0 0 0?\n")
    (data $bang "!")
    (global $count (mut i32) (i32.const 0))
    (table $t 1 funcref)
    ;; Scratch: return areas at 256 and 512.
    (func (export "handle") (param $req i32) (param $out i32)
      (local $headers i32) (local $resp i32) (local $body i32) (local $stream i32) (local $c i32)
      (local $in-body i32) (local $in i32)
      ;; The path's second byte: /t(rap), /l(oop), /t(eapot) is told by its third.
      (call $path (local.get $req) (i32.const 256))
      (if (i32.and (i32.load8_u (i32.const 256)) (i32.gt_u (i32.load (i32.const 264)) (i32.const 2)))
        (then
          (local.set $c (i32.load8_u (i32.add (i32.load (i32.const 260)) (i32.const 1))))
          (if (i32.eq (local.get $c) (i32.const 0x6c)) (then (loop $spin (br $spin))))   ;; 'l'
          (if (i32.and (i32.eq (local.get $c) (i32.const 0x74))                          ;; 't' 'r'
                       (i32.eq (i32.load8_u (i32.add (i32.load (i32.const 260)) (i32.const 2))) (i32.const 0x72)))
            (then unreachable))))
      ;; /echo: the request body's stream, before the request is dropped.
      (if (i32.eq (local.get $c) (i32.const 0x65))                                       ;; 'e'
        (then
          (call $consume (local.get $req) (i32.const 256))
          (local.set $in-body (i32.load (i32.const 260)))
          (call $body-stream (local.get $in-body) (i32.const 256))
          (local.set $in (i32.load (i32.const 260)))))
      (if (i32.eq (local.get $c) (i32.const 0x63))                                       ;; /count
        (then
          (global.set $count (i32.add (global.get $count) (i32.const 1)))
          (i32.store (i32.const 1000) (i32.add (i32.load (i32.const 1000)) (i32.const 1)))
          (i32.store8 (i32.const 70) (i32.add (global.get $count) (i32.const 0x30)))
          (i32.store8 (i32.const 72) (i32.add (i32.load (i32.const 1000)) (i32.const 0x30)))
          (i32.store8 (i32.const 74) (i32.add (memory.grow (i32.const 1)) (i32.const 0x30)))
          (i32.store8 (i32.const 76) (i32.add (table.grow $t (ref.null func) (i32.const 1)) (i32.const 0x30)))
          (i32.store8 (i32.const 78) (i32.add (local.get $req) (i32.const 0x30)))
          (memory.init $bang (i32.const 79) (i32.const 0) (i32.const 1))  ;; traps once dropped
          (data.drop $bang)))
      (call $request-drop (local.get $req))
      (local.set $headers (call $fields-new))
      (call $fields-append (local.get $headers) (i32.const 16) (i32.const 5) (i32.const 32) (i32.const 3)
                           (i32.const 512))
      (local.set $resp (call $response-new (local.get $headers)))
      (if (i32.eq (local.get $c) (i32.const 0x74))                                       ;; /teapot
        (then (drop (call $set-status (local.get $resp) (i32.const 418)))))
      (call $response-body (local.get $resp) (i32.const 512))
      (local.set $body (i32.load (i32.const 516)))
      (call $body-write (local.get $body) (i32.const 512))
      (local.set $stream (i32.load (i32.const 516)))
      ;; result<own<outgoing-response>, error-code> flattened: case, then the
      ;; payloads joined (i32 i32 i64 i32 i32 i32 i32).
      (call $outparam-set (local.get $out) (i32.const 0) (local.get $resp) (i32.const 0)
                          (i64.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
      (if (i32.eq (local.get $c) (i32.const 0x65))
        (then
          ;; Chunks of up to 4 KiB until the stream is closed (result err).
          (block $done
            (loop $chunk
              (call $read (local.get $in) (i64.const 4096) (i32.const 256))
              (br_if $done (i32.load8_u (i32.const 256)))
              (call $write (local.get $stream) (i32.load (i32.const 260)) (i32.load (i32.const 264))
                           (i32.const 512))
              (br $chunk)))
          (call $input-drop (local.get $in))
          (call $body-drop (local.get $in-body)))
        (else
          (if (i32.eq (local.get $c) (i32.const 0x63))
            (then (call $write (local.get $stream) (i32.const 64) (i32.const 17) (i32.const 512)))
            (else (call $write (local.get $stream) (i32.const 48) (i32.const 15) (i32.const 512))))))
      (call $stream-drop (local.get $stream))
      (call $body-finish (local.get $body) (i32.const 0) (i32.const 0) (i32.const 512))))
  (core instance $h (instantiate $handler
    (with "m" (instance $m))
    (with "h" (instance
      (export "fields-new" (func $c-fields-new)) (export "fields-append" (func $c-fields-append))
      (export "path" (func $c-path)) (export "response-new" (func $c-response-new))
      (export "set-status" (func $c-set-status)) (export "response-body" (func $c-response-body))
      (export "body-write" (func $c-body-write)) (export "body-finish" (func $c-body-finish))
      (export "outparam-set" (func $c-outparam-set)) (export "write" (func $c-write))
      (export "stream-drop" (func $c-stream-drop)) (export "request-drop" (func $c-request-drop))
      (export "read" (func $c-read)) (export "consume" (func $c-consume))
      (export "body-stream" (func $c-body-stream)) (export "input-drop" (func $c-input-drop))
      (export "body-drop" (func $c-body-drop))))))
  (type $handle-type (func (param "request" (own $incoming-request)) (param "response-out" (own $response-outparam))))
  (func $handle (type $handle-type) (canon lift (core func $h "handle")))
  (instance $incoming-handler (export "handle" (func $handle)))
  (export "wasi:http/incoming-handler@0.2.0" (instance $incoming-handler))
)
