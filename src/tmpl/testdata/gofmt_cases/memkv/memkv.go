// Package memkv mirrors the confd types of that name, so that %T and %#v
// print the names confd templates see.
package memkv

type KVPair struct {
	Key   string
	Value string
}

type KVPairs []KVPair
