-- one row: a scoped copy carries the data version of the workspace it was copied from
update data_version set version = $version
