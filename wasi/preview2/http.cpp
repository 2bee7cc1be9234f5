// wasi:http types, incoming-handler's host side, outgoing-handler (http.hpp).
#include "wasi/preview2/http.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "wasi/preview2/http_client.hpp"
#include "wasi/preview2/values.hpp"

namespace wisp::wasi::p2 {

namespace {

using component::val::variant;

// header-error cases.
constexpr uint32_t kInvalidSyntax = 0, kForbidden = 1, kImmutable = 2;
// error-code cases used here.
constexpr uint32_t kHttpRequestDenied = 15, kInternalError = 38;

// RFC 9110 token characters.
bool token(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c))) return false;
  return true;
}
// A field value: no CR, LF or NUL (obs-text and controls other than those
// are passed through, as HTTP implementations do).
bool field_value(const std::string& v) {
  for (unsigned char c : v)
    if (c == '\r' || c == '\n' || c == 0) return false;
  return true;
}
std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
// Connection-level headers a guest may not set (the server owns them).
bool forbidden(const std::string& name) {
  static const char* const kForbidden[] = {"connection", "keep-alive", "proxy-connection",
                                           "transfer-encoding", "upgrade", "http2-settings"};
  const std::string n = lower(name);
  for (const char* f : kForbidden)
    if (n == f) return true;
  return false;
}

Value header_error(uint32_t c) { return err(variant(c)); }

// wasi:http's method cases, in order (the last, `other`, carries its name).
const char* const kMethods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

Value method_value(const std::string& m) {
  for (uint32_t i = 0; i < 9; ++i)
    if (m == kMethods[i]) return variant(i);
  return variant(9, text(m));
}
std::string method_text(const Value& v) {
  if (v.index < 9) return kMethods[v.index];
  return v.items.empty() ? "" : v.items[0].text;
}
Value scheme_value(const std::string& s) {
  if (s == "http") return variant(0);
  if (s == "https") return variant(1);
  return variant(2, text(s));
}
std::string scheme_text(const Value& v) {
  if (v.index == 0) return "http";
  if (v.index == 1) return "https";
  return v.items.empty() ? "" : v.items[0].text;
}
Value opt_text(const std::optional<std::string>& s) { return s ? some(text(*s)) : none(); }


}  // namespace

HttpCall start_http_call(Context& ctx, HttpRequest req) {
  auto msg = std::make_shared<HttpMessage>();
  msg->method = std::move(req.method);
  msg->path = std::move(req.path_with_query);
  msg->scheme = std::move(req.scheme);
  if (!req.authority.empty()) msg->authority = std::move(req.authority);
  msg->headers->entries = std::move(req.headers);
  msg->headers->immutable = true;
  *msg->body = std::move(req.body);
  Entry r;
  r.kind = Kind::IncomingRequest;
  r.http = msg;
  HttpCall call;
  call.request = own(ctx.table.add(std::move(r)));
  Entry o;
  o.kind = Kind::ResponseOutparam;
  o.slot = std::make_shared<HttpResponseSlot>();
  call.slot = o.slot;
  call.outparam = own(ctx.table.add(std::move(o)));
  return call;
}

void define_http(component::ComponentLinker& l, Context& ctx) {
  Table* const table = &ctx.table;
  auto def = [&l](const std::string& fn, component::HostFunc f) {
    l.define("wasi:http/types@0.2#" + fn, std::move(f));
  };
  auto get = [table](const Values& a, size_t k, Kind kind) { return table->get(uint32_t(a.at(k).bits), kind); };
  auto fields_entry = [table](std::shared_ptr<HttpFields> f) {
    Entry e;
    e.kind = Kind::Fields;
    e.fields = std::move(f);
    return own(table->add(std::move(e)));
  };
  auto dropper = [table](Kind k, const char* what) {
    return [table, k, what](const Values& a) -> Ret {
      if (!table->get(uint32_t(a.at(0).bits), k)) return not_a(what, a.at(0).bits);
      table->remove(uint32_t(a.at(0).bits));
      return Values{};
    };
  };
  for (auto [name, kind] : {std::pair{"fields", Kind::Fields}, {"incoming-request", Kind::IncomingRequest},
                            {"incoming-body", Kind::IncomingBody}, {"future-trailers", Kind::FutureTrailers},
                            {"outgoing-response", Kind::OutgoingResponse}, {"outgoing-body", Kind::OutgoingBody},
                            {"response-outparam", Kind::ResponseOutparam}, {"outgoing-request", Kind::OutgoingRequest},
                            {"request-options", Kind::RequestOptions},
                            {"future-incoming-response", Kind::FutureIncomingResponse},
                            {"incoming-response", Kind::IncomingResponse}})
    def(std::string("[resource-drop]") + name, dropper(kind, name));
  def("http-error-code", [](const Values&) { return one(none()); });

  // ---- fields ----
  def("[constructor]fields", [fields_entry](const Values&) { return one(fields_entry(std::make_shared<HttpFields>())); });
  def("[static]fields.from-list", [fields_entry](const Values& a) -> Ret {
    auto f = std::make_shared<HttpFields>();
    for (const Value& pair : a.at(0).items) {
      if (pair.items.size() != 2) return make_error(ErrorKind::Other, "fields.from-list: not a pair");
      const std::string& name = pair.items[0].text;
      const std::string& value = pair.items[1].text;
      if (!token(name) || !field_value(value)) return one(header_error(kInvalidSyntax));
      if (forbidden(name)) return one(header_error(kForbidden));
      f->entries.emplace_back(name, value);
    }
    return one(ok(fields_entry(f)));
  });
  def("[method]fields.get", [get](const Values& a) -> Ret {
    const Entry* e = get(a, 0, Kind::Fields);
    if (!e) return not_a("fields", a.at(0).bits);
    const std::string name = lower(a.at(1).text);
    Values out;
    for (const auto& [n, v] : e->fields->entries)
      if (lower(n) == name) out.push_back(bytes(v));
    return one(list(std::move(out)));
  });
  def("[method]fields.has", [get](const Values& a) -> Ret {
    const Entry* e = get(a, 0, Kind::Fields);
    if (!e) return not_a("fields", a.at(0).bits);
    const std::string name = lower(a.at(1).text);
    for (const auto& [n, v] : e->fields->entries)
      if (lower(n) == name) return one(boolv(true));
    return one(boolv(false));
  });
  // set, delete, append: checked, then applied to the shared entries.
  auto change = [get](const Values& a, bool remove, const std::vector<std::string>& add) -> Ret {
    const Entry* e = get(a, 0, Kind::Fields);
    if (!e) return not_a("fields", a.at(0).bits);
    const std::string& name = a.at(1).text;
    if (!token(name)) return one(header_error(kInvalidSyntax));
    for (const std::string& v : add)
      if (!field_value(v)) return one(header_error(kInvalidSyntax));
    if (forbidden(name)) return one(header_error(kForbidden));
    if (e->fields->immutable) return one(header_error(kImmutable));
    auto& entries = e->fields->entries;
    if (remove) {
      const std::string n = lower(name);
      entries.erase(std::remove_if(entries.begin(), entries.end(), [&](const auto& p) { return lower(p.first) == n; }),
                    entries.end());
    }
    for (const std::string& v : add) entries.emplace_back(name, v);
    return one(ok());
  };
  def("[method]fields.set", [change](const Values& a) -> Ret {
    std::vector<std::string> values;
    for (const Value& v : a.at(2).items) values.push_back(v.text);
    return change(a, true, values);
  });
  def("[method]fields.delete", [change](const Values& a) { return change(a, true, {}); });
  def("[method]fields.append", [change](const Values& a) { return change(a, false, {a.at(2).text}); });
  def("[method]fields.entries", [get](const Values& a) -> Ret {
    const Entry* e = get(a, 0, Kind::Fields);
    if (!e) return not_a("fields", a.at(0).bits);
    Values out;
    for (const auto& [n, v] : e->fields->entries) out.push_back(tuple({text(n), bytes(v)}));
    return one(list(std::move(out)));
  });
  def("[method]fields.clone", [get, fields_entry](const Values& a) -> Ret {
    const Entry* e = get(a, 0, Kind::Fields);
    if (!e) return not_a("fields", a.at(0).bits);
    auto copy = std::make_shared<HttpFields>(*e->fields);
    copy->immutable = false;
    return one(fields_entry(copy));
  });

  // A message's headers (a child fields resource sharing its storage, as
  // mutable as the message's headers are) and its body (given out once: an
  // incoming-body to read, an outgoing-body to write), for requests and
  // responses alike.
  for (auto [msg, kind, body_kind, verb] :
       {std::tuple{"incoming-request", Kind::IncomingRequest, Kind::IncomingBody, "consume"},
        {"outgoing-response", Kind::OutgoingResponse, Kind::OutgoingBody, "body"},
        {"outgoing-request", Kind::OutgoingRequest, Kind::OutgoingBody, "body"},
        {"incoming-response", Kind::IncomingResponse, Kind::IncomingBody, "consume"}}) {
    const std::string what = std::string(msg[0] == 'i' || msg[0] == 'o' ? "an " : "a ") + msg;
    def(std::string("[method]") + msg + ".headers", [get, fields_entry, kind, what](const Values& a) -> Ret {
      const Entry* e = get(a, 0, kind);
      if (!e) return not_a(what.c_str(), a.at(0).bits);
      return one(fields_entry(e->http->headers));
    });
    def(std::string("[method]") + msg + "." + verb, [table, get, kind, body_kind, what](const Values& a) -> Ret {
      Entry* e = get(a, 0, kind);
      if (!e) return not_a(what.c_str(), a.at(0).bits);
      if (e->http->body_taken) return one(component::val::err());
      e->http->body_taken = true;
      Entry b;
      b.kind = body_kind;
      b.http = e->http;
      return one(ok(own(table->add(std::move(b)))));
    });
  }

  // ---- incoming-request ----
  auto request = [get](const Values& a) { return get(a, 0, Kind::IncomingRequest); };
  def("[method]incoming-request.method", [request](const Values& a) -> Ret {
    const Entry* e = request(a);
    if (!e) return not_a("an incoming-request", a.at(0).bits);
    return one(method_value(e->http->method));
  });
  def("[method]incoming-request.path-with-query", [request](const Values& a) -> Ret {
    const Entry* e = request(a);
    if (!e) return not_a("an incoming-request", a.at(0).bits);
    return one(opt_text(e->http->path));
  });
  def("[method]incoming-request.scheme", [request](const Values& a) -> Ret {
    const Entry* e = request(a);
    if (!e) return not_a("an incoming-request", a.at(0).bits);
    return one(e->http->scheme ? some(scheme_value(*e->http->scheme)) : none());
  });
  def("[method]incoming-request.authority", [request](const Values& a) -> Ret {
    const Entry* e = request(a);
    if (!e) return not_a("an incoming-request", a.at(0).bits);
    return one(opt_text(e->http->authority));
  });
  def("[method]incoming-body.stream", [table, get](const Values& a) -> Ret {
    Entry* e = get(a, 0, Kind::IncomingBody);
    if (!e) return not_a("an incoming-body", a.at(0).bits);
    if (e->taken) return one(component::val::err());
    e->taken = true;
    Entry s;
    s.kind = Kind::InputStream;
    s.stream = StreamKind::Memory;
    s.mem = e->http->body;
    return one(ok(own(table->add(std::move(s)))));
  });
  def("[static]incoming-body.finish", [table](const Values& a) -> Ret {
    const uint32_t rep = uint32_t(a.at(0).bits);
    Entry* e = table->get(rep, Kind::IncomingBody);
    if (!e) return not_a("an incoming-body", rep);
    Entry f;
    f.kind = Kind::FutureTrailers;
    f.http = e->http;
    table->remove(rep);
    return one(own(table->add(std::move(f))));
  });
  def("[method]future-trailers.subscribe", [table, get](const Values& a) -> Ret {
    if (!get(a, 0, Kind::FutureTrailers)) return not_a("a future-trailers", a.at(0).bits);
    Entry p;
    p.kind = Kind::Pollable;  // the body is all here: ready
    return one(own(table->add(std::move(p))));
  });
  def("[method]future-trailers.get", [get, fields_entry](const Values& a) -> Ret {
    Entry* e = get(a, 0, Kind::FutureTrailers);
    if (!e) return not_a("a future-trailers", a.at(0).bits);
    if (e->taken) return one(some(component::val::err()));
    e->taken = true;
    Value trailers = e->http->trailers ? some(fields_entry(e->http->trailers)) : none();
    return one(some(ok(ok(trailers))));
  });

  // ---- outgoing-response ----
  def("[constructor]outgoing-response", [table](const Values& a) -> Ret {
    const uint32_t hrep = uint32_t(a.at(0).bits);
    Entry* h = table->get(hrep, Kind::Fields);
    if (!h) return not_a("fields", hrep);
    Entry r;
    r.kind = Kind::OutgoingResponse;
    r.http = std::make_shared<HttpMessage>();
    r.http->headers = std::make_shared<HttpFields>(*h->fields);
    r.http->headers->immutable = true;  // as the WIT says of outgoing-response.headers
    table->remove(hrep);  // the headers were given away
    return one(own(table->add(std::move(r))));
  });
  auto response = [get](const Values& a) { return get(a, 0, Kind::OutgoingResponse); };
  def("[method]outgoing-response.status-code", [response](const Values& a) -> Ret {
    const Entry* e = response(a);
    if (!e) return not_a("an outgoing-response", a.at(0).bits);
    return one(scalar(Value::U16, e->http->status));
  });
  def("[method]outgoing-response.set-status-code", [response](const Values& a) -> Ret {
    Entry* e = response(a);
    if (!e) return not_a("an outgoing-response", a.at(0).bits);
    const uint64_t s = a.at(1).bits;
    if (s < 100 || s > 999) return one(component::val::err());
    e->http->status = uint16_t(s);
    return one(ok());
  });
  def("[method]outgoing-body.write", [&ctx, table, get](const Values& a) -> Ret {
    Entry* e = get(a, 0, Kind::OutgoingBody);
    if (!e) return not_a("an outgoing-body", a.at(0).bits);
    if (e->taken) return one(component::val::err());
    e->taken = true;
    Entry s;
    s.kind = Kind::OutputStream;
    s.stream = StreamKind::Memory;
    s.mem = e->http->body;
    s.mem_limit = ctx.max_http_body;
    return one(ok(own(table->add(std::move(s)))));
  });
  def("[static]outgoing-body.finish", [table](const Values& a) -> Ret {
    const uint32_t rep = uint32_t(a.at(0).bits);
    Entry* e = table->get(rep, Kind::OutgoingBody);
    if (!e) return not_a("an outgoing-body", rep);
    auto msg = e->http;
    table->remove(rep);
    msg->finished = true;
    const Value& t = a.at(1);
    if (t.index == 1 && !t.items.empty()) {
      const uint32_t trep = uint32_t(t.items[0].bits);
      if (Entry* f = table->get(trep, Kind::Fields)) {
        msg->trailers = std::make_shared<HttpFields>(*f->fields);
        table->remove(trep);
      }
    }
    return one(ok());
  });
  def("[static]response-outparam.set", [table](const Values& a) -> Ret {
    const uint32_t rep = uint32_t(a.at(0).bits);
    Entry* o = table->get(rep, Kind::ResponseOutparam);
    if (!o) return not_a("a response-outparam", rep);
    auto slot = o->slot;
    table->remove(rep);
    slot->set = true;
    const Value& r = a.at(1);
    if (r.index == 0 && !r.items.empty()) {
      const uint32_t rrep = uint32_t(r.items[0].bits);
      Entry* resp = table->get(rrep, Kind::OutgoingResponse);
      if (!resp) return not_a("an outgoing-response", rrep);
      slot->response = resp->http;
      table->remove(rrep);
    } else {
      slot->error = "error-code case " + std::to_string(r.items.empty() ? 0 : r.items[0].index);
    }
    return Values{};
  });

  // ---- outgoing requests: built, never sent ----
  def("[constructor]request-options", [table](const Values&) -> Ret {
    Entry e;
    e.kind = Kind::RequestOptions;
    return one(own(table->add(std::move(e))));
  });
  for (const char* t : {"connect-timeout", "first-byte-timeout", "between-bytes-timeout"}) {
    def(std::string("[method]request-options.") + t, [](const Values&) { return one(none()); });
    def(std::string("[method]request-options.set-") + t, [](const Values&) { return one(component::val::err()); });
  }
  def("[constructor]outgoing-request", [table](const Values& a) -> Ret {
    const uint32_t hrep = uint32_t(a.at(0).bits);
    Entry* h = table->get(hrep, Kind::Fields);
    if (!h) return not_a("fields", hrep);
    Entry r;
    r.kind = Kind::OutgoingRequest;
    r.http = std::make_shared<HttpMessage>();
    r.http->headers = std::make_shared<HttpFields>(*h->fields);
    r.http->headers->immutable = true;
    table->remove(hrep);
    return one(own(table->add(std::move(r))));
  });
  auto outreq = [get](const Values& a) { return get(a, 0, Kind::OutgoingRequest); };
  def("[method]outgoing-request.method", [outreq](const Values& a) -> Ret {
    const Entry* e = outreq(a);
    if (!e) return not_a("an outgoing-request", a.at(0).bits);
    return one(method_value(e->http->method));
  });
  def("[method]outgoing-request.set-method", [outreq](const Values& a) -> Ret {
    Entry* e = outreq(a);
    if (!e) return not_a("an outgoing-request", a.at(0).bits);
    const std::string m = method_text(a.at(1));
    if (!token(m)) return one(component::val::err());
    e->http->method = m;
    return one(ok());
  });
  auto opt_field = [outreq](std::optional<std::string> HttpMessage::*field, bool is_scheme) {
    return std::pair{
        component::HostFunc([outreq, field, is_scheme](const Values& a) -> Ret {
          const Entry* e = outreq(a);
          if (!e) return not_a("an outgoing-request", a.at(0).bits);
          const auto& v = (*e->http).*field;
          if (is_scheme) return one(v ? some(scheme_value(*v)) : none());
          return one(opt_text(v));
        }),
        component::HostFunc([outreq, field, is_scheme](const Values& a) -> Ret {
          Entry* e = outreq(a);
          if (!e) return not_a("an outgoing-request", a.at(0).bits);
          const Value& v = a.at(1);
          if (v.index == 0 || v.items.empty()) {
            (*e->http).*field = std::nullopt;
          } else {
            const std::string s = is_scheme ? scheme_text(v.items[0]) : v.items[0].text;
            if (!field_value(s)) return one(component::val::err());
            (*e->http).*field = s;
          }
          return one(ok());
        })};
  };
  for (auto [name, field, is_scheme] :
       {std::tuple{"path-with-query", &HttpMessage::path, false}, {"authority", &HttpMessage::authority, false},
        {"scheme", &HttpMessage::scheme, true}}) {
    auto [getter, setter] = opt_field(field, is_scheme);
    def(std::string("[method]outgoing-request.") + name, getter);
    def(std::string("[method]outgoing-request.set-") + name, setter);
  }
  // ---- outgoing-handler: a request to an allowed host, sent when the
  // guest first asks for the response (its body is finished by then) ----
  l.define("wasi:http/outgoing-handler@0.2#handle", [&ctx, table](const Values& a) -> Ret {
    const uint32_t rep = uint32_t(a.at(0).bits);
    Entry* r = table->get(rep, Kind::OutgoingRequest);
    if (!r) return not_a("an outgoing-request", rep);
    auto msg = r->http;
    table->remove(rep);  // the request was given away
    if (a.size() > 1 && a[1].index == 1 && !a[1].items.empty()) table->remove(uint32_t(a[1].items[0].bits));
    if (msg->scheme && *msg->scheme != "http")
      return one(err(variant(kInternalError, some(text("only http: is supported, not " + *msg->scheme + ":")))));
    const std::string authority = msg->authority.value_or("");
    const std::string host = authority.substr(0, authority.rfind(':'));
    bool allowed = false;
    for (const std::string& h : ctx.allow_http) allowed = allowed || h == authority || h == host;
    if (!allowed) return one(err(variant(kHttpRequestDenied)));
    Entry f;
    f.kind = Kind::FutureIncomingResponse;
    f.http = msg;
    return one(ok(own(table->add(std::move(f)))));
  });
  def("[method]future-incoming-response.subscribe", [table, get](const Values& a) -> Ret {
    if (!get(a, 0, Kind::FutureIncomingResponse)) return not_a("a future-incoming-response", a.at(0).bits);
    Entry p;
    p.kind = Kind::Pollable;  // get() does the waiting
    return one(own(table->add(std::move(p))));
  });
  def("[method]future-incoming-response.get", [table, get](const Values& a) -> Ret {
    Entry* f = get(a, 0, Kind::FutureIncomingResponse);
    if (!f) return not_a("a future-incoming-response", a.at(0).bits);
    if (f->taken) return one(some(component::val::err()));
    f->taken = true;
    HttpResult res = http_fetch(*f->http, 30);
    if (!res.ok) return one(some(ok(err(variant(kInternalError, some(text(res.error)))))));
    Entry in;
    in.kind = Kind::IncomingResponse;
    in.http = std::make_shared<HttpMessage>();
    in.http->status = res.status;
    in.http->headers->entries = std::move(res.headers);
    in.http->headers->immutable = true;
    *in.http->body = std::move(res.body);
    return one(some(ok(ok(own(table->add(std::move(in)))))));
  });
  auto incoming = [get](const Values& a) { return get(a, 0, Kind::IncomingResponse); };
  def("[method]incoming-response.status", [incoming](const Values& a) -> Ret {
    const Entry* e = incoming(a);
    if (!e) return not_a("an incoming-response", a.at(0).bits);
    return one(scalar(Value::U16, e->http->status));
  });
}

}  // namespace wisp::wasi::p2
