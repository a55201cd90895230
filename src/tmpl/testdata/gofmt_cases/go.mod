module gofmtcases

go 1.19
