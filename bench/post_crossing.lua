-- wrk script: POST /api/v1/crossings from a TD3 MRZ, a new crossing per request.
-- Usage: TOKEN=frt_… wrk -t2 -c32 -d30s --latency -s bench/post_crossing.lua http://127.0.0.1:8080/api/v1/crossings
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")
wrk.body = '{"port_id":"bz-santa-elena","direction":"entry","category":"visitor","purpose":"tourism",'
    .. '"mrz":["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<","L898902C36UTO7408122F1204159ZE184226B<<<<<10"]}'

local errors = 0
response = function(status, headers, body)
    if status ~= 201 then
        errors = errors + 1
        if errors <= 3 then
            io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
        end
    end
end
