// load_component: decode (and validate) a component that owns its bytes.
#include "runtime/api/component.hpp"
#include "runtime/component/decoder.hpp"

namespace wisp {

Result<std::shared_ptr<const component::Component>> load_component(std::vector<uint8_t> bytes) try {
  // The decoded component borrows its bytes: one allocation holds both,
  // and the returned pointer shares its ownership.
  struct Holder {
    std::vector<uint8_t> bytes;
    std::shared_ptr<const component::Component> component;
  };
  auto h = std::make_shared<Holder>();
  h->bytes = std::move(bytes);
  auto c = component::decode(h->bytes.data(), h->bytes.size());
  if (!c.ok()) return c.take_error();
  h->component = c.value();
  return std::shared_ptr<const component::Component>(h, h->component.get());
} catch (const std::bad_alloc&) {
  return make_error(ErrorKind::Limit, "out of host memory loading the component");
}

}  // namespace wisp
