// load_module: decode and validate, as one call of the public API.
#include "runtime/api/wisp.hpp"
#include "runtime/valid/validator.hpp"
#include "runtime/valid/decoder.hpp"

namespace wisp {

Result<std::shared_ptr<Module>> load_module(std::vector<uint8_t> bytes) try {
  auto m = decode(std::move(bytes));
  if (!m.ok()) return m.take_error();
  auto mod = std::make_shared<Module>(std::move(m.value()));
  Status s = validate(*mod);
  if (!s.ok()) return s.take_error();
  return mod;
} catch (const std::bad_alloc&) {
  return make_error(ErrorKind::Limit, "out of host memory loading the module");
}


}  // namespace wisp
