-- Neovim's built-in LSP client against `verde lsp`, headless. Run by tests/nvim.rs:
--   nvim --headless --clean -u NONE -c "luafile tests/nvim/e2e.lua"
-- Environment: VERDE_BIN (the binary), VERDE_PROJECT (the fixture project),
-- VERDE_RESULT (where to write what happened, one `key=value` per line).

local verde = os.getenv('VERDE_BIN')
local root = os.getenv('VERDE_PROJECT')
local result_path = os.getenv('VERDE_RESULT')
local results = {}

local function finish()
  local file = io.open(result_path, 'w')
  for _, line in ipairs(results) do
    file:write(line, '\n')
  end
  file:close()
  vim.cmd('qall!')
end

local function record(key, value)
  table.insert(results, key .. '=' .. tostring(value))
end

local ok, error = pcall(function()
  local client_id = vim.lsp.start_client({
    name = 'verde',
    cmd = { verde, 'lsp' },
    root_dir = root,
  })
  record('started', client_id ~= nil)

  vim.cmd('edit ' .. root .. '/main.js')
  local main = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(main, client_id)

  -- A diagnostic for the missing export arrives on open.
  local got_diagnostics = vim.wait(20000, function()
    return #vim.diagnostic.get(main) > 0
  end, 20)
  record('diagnostics_arrived', got_diagnostics)
  for _, diagnostic in ipairs(vim.diagnostic.get(main)) do
    record('diagnostic', string.format('%d:%d:%s', diagnostic.lnum, diagnostic.col, diagnostic.message))
  end

  -- Go to definition of `area` in `console.log(area(...))` (line 2, 0-based 1).
  local line = vim.api.nvim_buf_get_lines(main, 1, 2, false)[1]
  local column = string.find(line, 'area', 1, true) - 1
  vim.api.nvim_win_set_cursor(0, { 2, column })
  vim.lsp.buf.definition()
  local jumped = vim.wait(20000, function()
    return vim.api.nvim_get_current_buf() ~= main
  end, 20)
  record('jumped', jumped)
  local cursor = vim.api.nvim_win_get_cursor(0)
  record('definition_file', vim.api.nvim_buf_get_name(0))
  record('definition_line', cursor[1])
  record('definition_column', cursor[2])
end)
if not ok then
  record('error', error)
end
finish()
