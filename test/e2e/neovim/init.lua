-- Drives Neovim's built-in LSP client against `kubemend lsp` (Neovim 0.7 API: start_client + buf_attach_client;
-- 0.8+ has vim.lsp.start). Opens $KUBEMEND_MANIFEST, waits for diagnostics, picks the quick fix whose title starts
-- with $KUBEMEND_ACTION through the real code-action path (request, codeAction/resolve, apply), writes the file,
-- waits for the fixed text's diagnostics, and reports what happened as JSON lines in $KUBEMEND_REPORT.

local report = assert(io.open(vim.env.KUBEMEND_REPORT, 'w'))

local function say(event, data)
  report:write(vim.fn.json_encode({ event = event, data = data }) .. '\n')
  report:flush()
end

local function finish(status)
  say('finish', status)
  report:close()
  vim.cmd('qa!')
end

local function codes(bufnr)
  local found = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(found, { code = diagnostic.code, lnum = diagnostic.lnum, col = diagnostic.col })
  end
  table.sort(found, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.code < b.code) end)
  return found
end

vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.KUBEMEND_MANIFEST))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'kubemend',
  cmd = { vim.env.KUBEMEND_NODE, vim.env.KUBEMEND_BIN, 'lsp', '--stdio' },
  root_dir = vim.env.KUBEMEND_ROOT,
})
if not client_id then return finish('the client did not start') end
vim.lsp.buf_attach_client(bufnr, client_id)

if not vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
  return finish('no diagnostics arrived')
end
say('diagnostics', codes(bufnr))

local target
for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
  if diagnostic.code == vim.env.KUBEMEND_CODE then target = diagnostic end
end
if not target then return finish('no ' .. vim.env.KUBEMEND_CODE .. ' diagnostic') end
vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })

-- The user's choice in the code-action menu.
local offered = {}
vim.ui.select = function(items, options, on_choice)
  local chosen
  for _, item in ipairs(items) do
    local title = options.format_item(item)
    table.insert(offered, title)
    if not chosen and vim.startswith(title, vim.env.KUBEMEND_ACTION) then chosen = item end
  end
  say('offered', offered)
  on_choice(chosen)
end
local before = vim.api.nvim_buf_get_changedtick(bufnr)
vim.lsp.buf.code_action()
if not vim.wait(60000, function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= before end, 50) then
  return finish('the code action changed nothing')
end
vim.cmd('write')

local fixed = vim.wait(60000, function()
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    if diagnostic.code == vim.env.KUBEMEND_CODE then return false end
  end
  return true
end, 50)
say('diagnostics', codes(bufnr))
if not fixed then return finish('the diagnostic stayed after the fix') end

vim.lsp.stop_client(client_id)
vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
finish('ok')
