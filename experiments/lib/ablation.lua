-- The ablation generator: an experiment names its extras, each a named
-- patch with the value it takes in the full configuration and the one in
-- the minimal configuration, and a network function; generate() returns the
-- variants the question and its answer argue for:
--   top-down  (as the answer recommends): "full", and "full_without_X" for each
--             extra X (the full configuration with X as in the minimal one);
--   bottom-up (as the question's author worked): "minimal", and "minimal_with_X";
-- each ablation names its reference ("full" or "minimal") and says what it
-- changes, so the report gives its difference to the reference; every
-- variant runs once per seed in `seeds`.
--
--   return ddim.experiment(ablation.generate {
--     name = "...", train = {...}, diffusion = {...}, sample = {...}, quick = {...},
--     seeds = {1},
--     directions = {"top_down", "bottom_up"},      -- the default: both
--     only = {"unet", "ema"},                      -- optional: ablate these extras alone
--     network = function(on) ... end,             -- on.X is true when extra X is on
--     extras = {
--       {name = "cosine", what = "the cosine schedule",  -- `what`: words for the report (default: the name)
--        full = {diffusion = {schedule = "cosine"}}, minimal = {diffusion = {schedule = "none"}}},
--       {name = "unet"},                           -- an extra the network function reads
--       {name = "velocity", needs = {"cosine"}, ...},  -- on only with these on
--       {name = "sinusoidal", in_full = false, ...},   -- off in the full configuration
--     },
--   })
--
-- An extra with needs is on only when each extra it needs is on: the
-- variant that turns an extra off turns off what needs it ("full_without_
-- cosine" also drops velocity), the one that turns an extra on turns on
-- what it needs ("minimal_with_velocity" brings the cosine schedule), and
-- its `changes` say so. An extra with in_full = false is one the full
-- configuration does without: top-down tries it as "full_with_X".
--
-- A name in `only` or `needs` that is no extra is an error naming it, at
-- the caller's file:line.
local ablation = {}

local sections = {"train", "diffusion", "sample"}

-- settings[section][key] for the variant's state of every extra, over base.
local function settings_for(spec, on)
  local out = {}
  for _, section in ipairs(sections) do
    out[section] = {}
    for key, value in pairs(spec[section] or {}) do out[section][key] = value end
  end
  for _, extra in ipairs(spec.extras) do
    local patch = on[extra.name] and extra.full or extra.minimal
    for _, section in ipairs(sections) do
      for key, value in pairs((patch or {})[section] or {}) do out[section][key] = value end
    end
  end
  return out
end

-- Makes the switches in on consistent with the extras' needs after
-- `flipped` was switched: its needs on (when it went on), then every extra
-- whose needs are not all on off. Returns what else changed, by name, for
-- the variant's `changes` (" (and so without velocity)", or "").
local function resolve_needs(extras, on, flipped)
  local before, by_name = {}, {}
  for _, extra in ipairs(extras) do before[extra.name], by_name[extra.name] = on[extra.name], extra end
  local function turn_on(extra)
    for _, name in ipairs(extra.needs or {}) do
      if not on[name] then on[name] = true; turn_on(by_name[name]) end
    end
  end
  if on[flipped.name] then turn_on(flipped) end
  repeat
    local changed = false
    for _, extra in ipairs(extras) do
      for _, name in ipairs(extra.needs or {}) do
        if on[extra.name] and not on[name] then on[extra.name], changed = false, true end
      end
    end
  until not changed
  local words = {}
  for _, extra in ipairs(extras) do
    if extra ~= flipped and on[extra.name] ~= before[extra.name] then
      words[#words + 1] = (on[extra.name] and "with " or "without ") .. extra.name
    end
  end
  return #words > 0 and " (and so " .. table.concat(words, ", ") .. ")" or ""
end

local function check(spec)
  if type(spec.extras) ~= "table" or #spec.extras == 0 then
    error("ablation.generate: extras must be a list of {name = ..., full = {...}, minimal = {...}}", 3)
  end
  if type(spec.network) ~= "function" then
    error("ablation.generate: network must be a function(on) returning a model", 3)
  end
  local names = {}
  for i, extra in ipairs(spec.extras) do
    if type(extra.name) ~= "string" then error("ablation.generate: extras[" .. i .. "] has no name", 3) end
    if extra.what ~= nil and type(extra.what) ~= "string" then
      error("ablation.generate: extras[" .. i .. "].what must be a string", 3)
    end
    if names[extra.name] then error("ablation.generate: two extras are named '" .. extra.name .. "'", 3) end
    names[extra.name] = true
  end
  local known = {}
  for _, extra in ipairs(spec.extras) do known[#known + 1] = extra.name end
  local function check_names(list, where)
    for _, name in ipairs(list or {}) do
      if not names[name] then
        error("ablation.generate: unknown extra '" .. tostring(name) .. "' in " .. where .. "; the extras are: "
              .. table.concat(known, ", "), 4)
      end
    end
  end
  check_names(spec.only, "only")
  for _, extra in ipairs(spec.extras) do check_names(extra.needs, extra.name .. ".needs") end
  for _, direction in ipairs(spec.directions or {}) do
    if direction ~= "top_down" and direction ~= "bottom_up" then
      error("ablation.generate: unknown direction '" .. tostring(direction) .. "' (top_down, bottom_up)", 3)
    end
  end
end

function ablation.generate(spec)
  check(spec)
  local seeds = spec.seeds or {1}
  local directions = spec.directions or {"top_down", "bottom_up"}
  local ablated = {}
  for _, name in ipairs(spec.only or {}) do ablated[name] = true end
  local function selected(extra) return spec.only == nil or ablated[extra.name] end

  -- The variants' switches: name -> set of extras on.
  local plans = {}
  for _, direction in ipairs(directions) do
    local full = direction == "top_down"
    local all = {}
    for _, extra in ipairs(spec.extras) do all[extra.name] = full and extra.in_full ~= false end
    plans[#plans + 1] = {name = full and "full" or "minimal", on = all,
                         changes = full and "every extra on" or "every extra off"}
    for _, extra in ipairs(spec.extras) do
      if selected(extra) then
        local on = {}
        for name, value in pairs(all) do on[name] = value end
        on[extra.name] = not all[extra.name]
        local also = resolve_needs(spec.extras, on, extra)
        plans[#plans + 1] = {name = (on[extra.name] and (full and "full_with_" or "minimal_with_") or "full_without_")
                                    .. extra.name, on = on,
                             reference = full and "full" or "minimal",
                             changes = (on[extra.name] and "with " or "without ") .. (extra.what or extra.name) .. also}
      end
    end
  end

  local variants = {}
  for _, plan in ipairs(plans) do
    local s = settings_for(spec, plan.on)
    variants[#variants + 1] = {
      name = plan.name, reference = plan.reference, changes = plan.changes,
      model = spec.network(plan.on),
      train = s.train, diffusion = s.diffusion, sample = s.sample,
    }
  end
  return {name = spec.name, quick = spec.quick, seeds = seeds, variants = variants}
end

return ablation
