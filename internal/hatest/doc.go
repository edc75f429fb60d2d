// Package hatest holds the failover tests of Pledge's high availability
// (issue 15): two `pledge sidecar` processes of one operator on one
// PostgreSQL database, on the in-process devnet, under load, with one of
// them killed and with the database cut off and restarted. It has no
// non-test code.
package hatest
