-- wrk script: the counter form records a crossing from a TD3 MRZ and renders the next form,
-- as an officer's browser does. Log in first and pass the session cookie and its CSRF token:
--   SESSION=… CSRF=… wrk -t2 -c20 -d30s --latency -s bench/post_counter.lua http://127.0.0.1:8080/counter
-- PAUSE_MS=N makes each connection (an officer) wait N ms between crossings: a paced load, where
-- without it each connection sends as fast as the node answers (the node's saturation).
local pause = tonumber(os.getenv("PAUSE_MS") or "0")
function delay()
    return pause
end
local function enc(s)
    return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "frontera_session=" .. (os.getenv("SESSION") or "")
wrk.body = "csrf=" .. (os.getenv("CSRF") or "") .. "&action=record&port_id=bz-santa-elena&direction=entry"
    .. "&category=visitor&purpose=tourism&transport_mode=bus&permitted_stay_days=30"
    .. "&mrz=" .. enc("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10")

local errors = 0
response = function(status, headers, body)
    if status ~= 200 or not body:find("id=\"recorded\"", 1, true) then
        errors = errors + 1
        if errors <= 3 then
            io.stderr:write("unexpected response " .. status .. "\n")
        end
    end
end

done = function(summary, latency, requests)
    io.stderr:write(string.format("requests %d, not recorded %d\n", summary.requests, errors))
end
