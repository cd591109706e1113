-- Format-specific rendering for the built-in renderer (pandoc Lua filter).
-- Quarto features degraded to plain pandoc: content-visible/-hidden divs,
-- callouts in HTML (a document's own filter draws them in the PDF, as under
-- Quarto), page breaks; figure widths clamped to the PDF text width.

local is_html = FORMAT:match("html") ~= nil
local is_typst = FORMAT:match("typst") ~= nil

local function format_matches(name)
  if name == nil or name == "" then return false end
  for item in name:gmatch("[^,%s]+") do
    if item == FORMAT or (item == "html" and is_html) or ((item == "pdf" or item == "typst") and is_typst) then
      return true
    end
  end
  return false
end

local function visible(div)
  local when, unless = div.attributes["when-format"], div.attributes["unless-format"]
  if div.classes:includes("content-visible") then
    if when then return format_matches(when) end
    if unless then return not format_matches(unless) end
  elseif div.classes:includes("content-hidden") then
    if when then return not format_matches(when) end
    if unless then return format_matches(unless) end
  end
  return nil
end

local callout_titles = {note = "Note", tip = "Tip", warning = "Warning", important = "Important", caution = "Caution"}

local function callout(div)
  local kind
  for _, class in ipairs(div.classes) do
    local found = class:match("^callout%-(%a+)$")
    if found and callout_titles[found] then kind = found end
  end
  if not kind or not is_html then return nil end
  local blocks = div.content
  local title = div.attributes["title"]
  if not title and #blocks > 0 and blocks[1].t == "Header" then
    title = pandoc.utils.stringify(blocks[1].content)
    blocks = pandoc.List({table.unpack(blocks, 2)})
  end
  title = title or callout_titles[kind]
  local heading = pandoc.Div({pandoc.Plain({pandoc.Str(title)})}, pandoc.Attr("", {"callout-title"}))
  local body = pandoc.Div(blocks, pandoc.Attr("", {"callout-body"}))
  return pandoc.Div({heading, body}, pandoc.Attr(div.identifier, {"callout", "callout-" .. kind}))
end

function Div(div)
  local show = visible(div)
  if show == false then return {} end
  if show == true then return div.content end
  if div.classes:includes("pagebreak") then
    if is_typst then return pandoc.RawBlock("typst", "#pagebreak()") end
    return pandoc.RawBlock("html", '<div class="pagebreak"></div>')
  end
  return callout(div)
end

-- Figures wider than the PDF's text width (about 6.7 in on A4) are scaled to fit.
function Image(image)
  if is_typst then
    local inches = tonumber((image.attributes["width"] or ""):match("^([%d%.]+)in$"))
    if inches and inches > 6.5 then image.attributes["width"] = "100%" end
  end
  return image
end

-- HTML: the page header a cell set with aidheart.render.display.page_header
-- (a raw <div class="page-header">) moves to the top of the page.
function Pandoc(doc)
  if not is_html then return doc end
  local kept = pandoc.List()
  for _, block in ipairs(doc.blocks) do
    local text = block.t == "RawBlock" and block.format == "html" and block.text:match('^<div class="page%-header"[^>]*>(.-)</div>%s*$')
    if text and not doc.meta["page-header"] then
      doc.meta["page-header"] = pandoc.RawInline("html", text)
    elseif not text then
      kept:insert(block)
    end
  end
  doc.blocks = kept
  return doc
end
