-- Callouts in the PDF, drawn by `report-callout` (typst-template.typ).
--
-- Quarto's own typst callout imports the @preview/fontawesome package for its
-- icon, a download at render time; this filter runs before Quarto parses callouts
-- (`at: pre-ast` in _quarto.yml), so that import never happens.  Other formats
-- keep Quarto's callouts.  The built-in renderer runs the same filter.

if not FORMAT:match("typst") then
  return {}
end

local default_titles = {
  note = "Note", tip = "Tip", warning = "Warning", important = "Important", caution = "Caution",
}

local function callout_kind(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and default_titles[kind] then
      return kind
    end
  end
  return nil
end

function Div(div)
  local kind = callout_kind(div)
  if not kind then
    return nil
  end
  local blocks = div.content
  local title
  local attribute = div.attributes["title"]
  local parsed = attribute and attribute ~= "" and pandoc.read(attribute, "markdown").blocks[1]
  if parsed then
    title = parsed.content
  elseif #blocks > 0 and blocks[1].t == "Header" then
    title = blocks[1].content
    blocks = pandoc.Blocks({table.unpack(blocks, 2)})
  else
    title = pandoc.Inlines({pandoc.Str(default_titles[kind])})
  end
  local opening = pandoc.Inlines({pandoc.RawInline("typst", '#report-callout(kind: "' .. kind .. '", title: [')})
  opening:extend(title)
  opening:insert(pandoc.RawInline("typst", "])["))
  local result = pandoc.Blocks({pandoc.Plain(opening)})
  result:extend(blocks)
  result:insert(pandoc.RawBlock("typst", "]"))
  return result
end
