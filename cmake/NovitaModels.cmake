# The models the library exports: every `extern const novita_model novita_<stem>_model;` line of
# include/novita/*.h, found at configure time. The unit tests and the fuzz targets generate their model
# tables from this list, so a model added to a header is covered without touching them.
#
# novita_exported_models(<out-var> <repository root>) sets <out-var> to the stems ("instance", ...) and
# makes a change to any public header re-run the configure step.
function(novita_exported_models out_var root)
  file(GLOB headers CONFIGURE_DEPENDS "${root}/include/novita/*.h")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${headers})
  set(stems "")
  foreach(header ${headers})
    file(STRINGS "${header}" decls REGEX "^extern const novita_model novita_[A-Za-z0-9_]+_model;")
    foreach(decl ${decls})
      string(REGEX REPLACE "^extern const novita_model novita_([A-Za-z0-9_]+)_model;.*$" "\\1" stem "${decl}")
      list(APPEND stems ${stem})
    endforeach()
  endforeach()
  set(${out_var} ${stems} PARENT_SCOPE)
endfunction()
