#include "model/item_size.h"

#include "model/number.h"

namespace eddy::model {
namespace {

// Overheads DynamoDB charges for documents (dynalite's measurements, matching the
// developer guide's "3 bytes + 1 byte per element").
constexpr std::size_t kDocumentOverhead = 3;
constexpr std::size_t kElementOverhead = 1;

std::size_t number_size(const std::string& canonical_text) {
  return Number::parse(canonical_text).stored_size();
}

}  // namespace

std::size_t attribute_size(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::S:
    case AttributeType::B:
      return value.scalar().size();
    case AttributeType::N:
      return number_size(value.scalar());
    case AttributeType::SS:
    case AttributeType::BS: {
      std::size_t size = 0;
      for (const std::string& element : value.set_elements()) size += element.size();
      return size;
    }
    case AttributeType::NS: {
      std::size_t size = 0;
      for (const std::string& element : value.set_elements()) size += number_size(element);
      return size;
    }
    case AttributeType::M: {
      std::size_t size = kDocumentOverhead;
      for (const auto& [name, member] : value.map_members()) {
        size += kElementOverhead + name.size() + attribute_size(member);
      }
      return size;
    }
    case AttributeType::L: {
      std::size_t size = kDocumentOverhead;
      for (const AttributeValue& element : value.list_elements()) {
        size += kElementOverhead + attribute_size(element);
      }
      return size;
    }
    case AttributeType::Null:
    case AttributeType::Bool:
      return 1;
  }
  return 0;
}

std::size_t item_size(const Item& item) {
  std::size_t size = 0;
  for (const auto& [name, value] : item) size += name.size() + attribute_size(value);
  return size;
}

}  // namespace eddy::model
